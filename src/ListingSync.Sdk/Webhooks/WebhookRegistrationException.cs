namespace ListingSync.Sdk.Webhooks;

/// <summary>A webhook endpoint could not be put live: its test delivery failed, or it has no secret to verify with.</summary>
public sealed class WebhookRegistrationException : ListingSyncException
{
    /// <summary>Creates the exception.</summary>
    public WebhookRegistrationException()
    {
    }

    /// <summary>Creates the exception.</summary>
    public WebhookRegistrationException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    public WebhookRegistrationException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception for an endpoint and the status its test delivery answered.</summary>
    public WebhookRegistrationException(string message, string webhookId, int? statusCode)
        : base(message)
    {
        WebhookId = webhookId;
        StatusCode = statusCode;
    }

    /// <summary>The endpoint concerned (left registered and disabled).</summary>
    public string? WebhookId { get; }

    /// <summary>What the test delivery answered (0 when unreachable), when a test was made.</summary>
    public int? StatusCode { get; }
}
