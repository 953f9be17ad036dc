namespace ListingSync.Sdk.Channels;

/// <summary>
/// What a channel can do. Callers ask before they call: a member whose capability is missing throws
/// <see cref="NotSupportedException"/> naming the capability.
/// </summary>
[Flags]
public enum ChannelCapabilities
{
    /// <summary>Nothing.</summary>
    None = 0,

    /// <summary>Stream every listing of a seller (Managem search, Instica inventory pages).</summary>
    ReadListings = 1 << 0,

    /// <summary>Fetch one listing by id (Managem, Shopiro).</summary>
    GetListing = 1 << 1,

    /// <summary>Create listings.</summary>
    CreateListings = 1 << 2,

    /// <summary>Create many listings per call (Managem: 200).</summary>
    BulkCreate = 1 << 3,

    /// <summary>Update a listing in place.</summary>
    UpdateListings = 1 << 4,

    /// <summary>Delete listings for good.</summary>
    DeleteListings = 1 << 5,

    /// <summary>Take a listing off sale without deleting the inventory record (Instica delist).</summary>
    Delist = 1 << 6,

    /// <summary>The channel stores the host's reference on the listing, so re-runs can adopt earlier creates.</summary>
    StoresReference = 1 << 7,

    /// <summary>Bulk import jobs (Managem CSV imports, Instica import jobs): see <see cref="IImportJobChannel"/>.</summary>
    ImportJobs = 1 << 8,

    /// <summary>Pushes signed webhooks to the host.</summary>
    Webhooks = 1 << 9,

    /// <summary>A feed of change events the host pulls and acknowledges (JTL events).</summary>
    PulledEvents = 1 << 10,

    /// <summary>The host reports listing status back (JTL in-progress / listed / failed): see <see cref="IListingStatusReporter"/>.</summary>
    StatusReports = 1 << 11,

    /// <summary>Incremental stock updates behind a cursor (JTL <c>lastUpdatedAt</c>).</summary>
    StockCursor = 1 << 12,
}
