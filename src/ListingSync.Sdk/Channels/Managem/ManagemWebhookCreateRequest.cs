namespace ListingSync.Sdk.Channels.Managem;

/// <summary>
/// A new webhook endpoint. The recommended rollout: create it disabled, run a test delivery and check it
/// answered 200, then enable it.
/// </summary>
public sealed record ManagemWebhookCreateRequest
{
    /// <summary>Absolute http(s) URL that receives deliveries.</summary>
    public required string Url { get; init; }

    /// <summary>Event types to receive; at least one.</summary>
    public required IReadOnlyList<string> Subscriptions { get; init; }

    /// <summary>Whether to deliver at once. Default false (the recommended rollout).</summary>
    public bool Enabled { get; init; }

    /// <summary>Description, at most 1024 characters.</summary>
    public string? Description { get; init; }

    /// <summary>Extra headers sent with each delivery.</summary>
    public IReadOnlyDictionary<string, string>? AdditionalHeaders { get; init; }
}
