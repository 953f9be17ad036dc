namespace ListingSync.Sdk.Channels.Managem;

/// <summary>A webhook endpoint registered with Managem.</summary>
public sealed record ManagemWebhook
{
    /// <summary>Endpoint id.</summary>
    public string Id { get; init; } = "";

    /// <summary>Where deliveries go.</summary>
    public string Url { get; init; } = "";

    /// <summary>Whether deliveries are sent; Managem turns this off after <see cref="MaxConsecutiveFailures"/>.</summary>
    public bool Enabled { get; init; }

    /// <summary>Extra headers sent with each delivery.</summary>
    public IReadOnlyDictionary<string, string>? AdditionalHeaders { get; init; }

    /// <summary>The shared secret deliveries are signed with. Treat as a credential.</summary>
    public string? Secret { get; init; }

    /// <summary>Last successful delivery.</summary>
    public DateTimeOffset? LastSuccessAt { get; init; }

    /// <summary>Last failed delivery.</summary>
    public DateTimeOffset? LastFailureAt { get; init; }

    /// <summary>Failures since the last success.</summary>
    public int ConsecutiveFailures { get; init; }

    /// <summary>Failures after which Managem disables the endpoint.</summary>
    public int MaxConsecutiveFailures { get; init; }

    /// <summary>Created.</summary>
    public DateTimeOffset? CreatedAt { get; init; }

    /// <summary>Last changed.</summary>
    public DateTimeOffset? UpdatedAt { get; init; }

    /// <summary>Subscribed event types (see <see cref="ManagemEventTypes"/>).</summary>
    public IReadOnlyList<string> Subscriptions { get; init; } = [];

    /// <summary>Description, at most 1024 characters.</summary>
    public string? Description { get; init; }
}
