namespace ListingSync.Sdk.Channels;

/// <summary>Listing states a host reports back.</summary>
public enum ListingStatusKind
{
    /// <summary>The host started listing the offer.</summary>
    InProgress = 0,

    /// <summary>The offer is live.</summary>
    Listed = 1,

    /// <summary>The offer could not be listed.</summary>
    Failed = 2,
}
