namespace ListingSync.Sdk.Channels.Managem;

/// <summary>Changes to a webhook endpoint (<c>PATCH</c>); null fields are left as they are.</summary>
public sealed record ManagemWebhookUpdateRequest
{
    /// <summary>New URL.</summary>
    public string? Url { get; init; }

    /// <summary>New description (at most 1024 characters).</summary>
    public string? Description { get; init; }

    /// <summary>Turn deliveries on or off.</summary>
    public bool? Enabled { get; init; }

    /// <summary>Replace the extra headers.</summary>
    public IReadOnlyDictionary<string, string>? AdditionalHeaders { get; init; }

    /// <summary>Replace the subscriptions (at least one).</summary>
    public IReadOnlyList<string>? Subscriptions { get; init; }
}
