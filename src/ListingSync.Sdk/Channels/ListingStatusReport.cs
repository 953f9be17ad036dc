namespace ListingSync.Sdk.Channels;

/// <summary>The state of one offer on the host's marketplace, for channels that expect reports.</summary>
public sealed record ListingStatusReport
{
    /// <summary>The channel's offer id.</summary>
    public required string OfferId { get; init; }

    /// <summary>The reported state.</summary>
    public required ListingStatusKind Status { get; init; }

    /// <summary>When the state was reached.</summary>
    public required DateTimeOffset At { get; init; }

    /// <summary>The host's listing id, once listed.</summary>
    public string? ChannelOfferId { get; init; }

    /// <summary>Where buyers find the listing, once listed.</summary>
    public Uri? ListingUrl { get; init; }

    /// <summary>Why listing failed.</summary>
    public IReadOnlyList<FieldError> Errors { get; init; } = [];
}
