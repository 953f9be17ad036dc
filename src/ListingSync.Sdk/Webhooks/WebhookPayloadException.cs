namespace ListingSync.Sdk.Webhooks;

/// <summary>A webhook or event payload that cannot be read: malformed JSON, or a required field missing or of the wrong type.</summary>
public sealed class WebhookPayloadException : ListingSyncException
{
    /// <summary>Creates the exception.</summary>
    public WebhookPayloadException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public WebhookPayloadException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    public WebhookPayloadException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>The field concerned (JSON path), when known.</summary>
    public string? Field { get; init; }
}
