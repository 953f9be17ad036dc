namespace ListingSync.Sdk.Mapping;

/// <summary>
/// A mapping write lost a race or would break a unique constraint; nothing was written. Re-read and retry.
/// </summary>
public class MappingConflictException : ListingSyncException
{
    /// <summary>Creates the exception.</summary>
    public MappingConflictException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public MappingConflictException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and cause.</summary>
    public MappingConflictException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
