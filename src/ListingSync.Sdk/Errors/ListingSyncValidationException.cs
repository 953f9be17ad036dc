namespace ListingSync.Sdk;

/// <summary>
/// Input broke a rule and nothing was sent. <see cref="Errors"/> names every field and rule.
/// </summary>
public class ListingSyncValidationException : ListingSyncException
{
    /// <summary>Creates the exception from the broken rules.</summary>
    public ListingSyncValidationException(IReadOnlyList<FieldError> errors)
        : base(BuildMessage(errors))
    {
        Errors = errors;
    }

    /// <summary>Creates the exception.</summary>
    public ListingSyncValidationException()
        : this([])
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public ListingSyncValidationException(string message)
        : base(message)
    {
        Errors = [];
    }

    /// <summary>Creates the exception with a message and cause.</summary>
    public ListingSyncValidationException(string message, Exception? innerException)
        : base(message, innerException)
    {
        Errors = [];
    }

    /// <summary>Every broken rule.</summary>
    public IReadOnlyList<FieldError> Errors { get; }

    private static string BuildMessage(IReadOnlyList<FieldError> errors) =>
        errors.Count == 0 ? "Validation failed." : "Validation failed: " + string.Join("; ", errors);
}
