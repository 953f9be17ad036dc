using ListingSync.Sdk.Channels;

namespace ListingSync.Sdk.Reconciliation;

/// <summary>The host's choices for a reconciliation.</summary>
public sealed class ReconcilerOptions
{
    /// <summary>Listings on the marketplace the host does not know. Default <see cref="UnknownRemotePolicy.Report"/>.</summary>
    public UnknownRemotePolicy UnknownRemote { get; set; } = UnknownRemotePolicy.Report;

    /// <summary>Duplicate listings. Default <see cref="DuplicatePolicy.Report"/>.</summary>
    public DuplicatePolicy Duplicates { get; set; } = DuplicatePolicy.Report;

    /// <summary>Listings whose product the host dropped. Default <see cref="DroppedListingPolicy.Remove"/>.</summary>
    public DroppedListingPolicy Dropped { get; set; } = DroppedListingPolicy.Remove;

    /// <summary>The fields the host owns: only these are compared and written. Default all.</summary>
    public ListingFields OwnedFields { get; set; } = ListingFields.All;

    /// <summary>Resolves host identities to the channel's (e.g. <see cref="Channels.Managem.ManagemIdentityResolver"/>); null to use drafts as they are.</summary>
    public IIdentityResolver? IdentityResolver { get; set; }

    /// <summary>Drafts per create call handed to the channel (which splits further to its own limit). Default 1,000.</summary>
    public int CreateBatchSize { get; set; } = 1_000;

    /// <summary>Updates and removes in flight at once; the channel's rate limiter sets the pace. Default 4.</summary>
    public int MaxConcurrency { get; set; } = 4;

    /// <summary>After creates, ask the channel (when it implements <see cref="IListingReferenceLookup"/>) for the new listing ids. Default true.</summary>
    public bool ResolveCreatedIds { get; set; } = true;

    /// <summary>
    /// When a plan has at least this many creates and the channel is an <see cref="Channels.IListingImporter"/>, they
    /// go through one import job (Managem: a CSV import) instead of API calls — seed 000's advice for large datasets.
    /// Null (default): always the API.
    /// </summary>
    public int? ImportThreshold { get; set; }

    /// <summary>
    /// Overrides the channel's <see cref="IListingChannel.MatchKeys"/> for adopting listings that carry no reference;
    /// null (default) takes the channel's, or URN + condition + language when planning from two streams.
    /// </summary>
    public IReadOnlyList<ListingMatchKey>? MatchKeys { get; set; }

    /// <summary>Progress of planning: mappings, remote listings and desired listings read, identities resolved.</summary>
    public IProgress<PlanningProgress>? PlanProgress { get; set; }

    /// <summary>
    /// Who applies, as the lease names it to another applier (default machine / process id / a random suffix per apply). An apply
    /// holds the (channel, seller) lease of the mapping store throughout, so two appliers never write one seller at once.
    /// </summary>
    public string? LeaseHolder { get; set; }

    /// <summary>How long the apply's lease lasts unless renewed (it is renewed every third). Default 30 s.</summary>
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long an apply waits for another applier's lease before it fails naming the holder. Default 0: fail at once.</summary>
    public TimeSpan LeaseWait { get; set; } = TimeSpan.Zero;

    /// <summary>What a plan does with import jobs an earlier apply left running. Default <see cref="RunningImportPolicy.Wait"/>.</summary>
    public RunningImportPolicy RunningImports { get; set; } = RunningImportPolicy.Wait;

    /// <summary>How long a plan waits for such jobs before it fails (planning nothing). Default 30 minutes.</summary>
    public TimeSpan RunningImportsTimeout { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>How often a running import job is read. Default 2 s.</summary>
    public TimeSpan ImportPollInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Progress of the import job(s) when <see cref="ImportThreshold"/> applies.</summary>
    public IProgress<ImportJobs.ImportJobProgress>? ImportProgress { get; set; }

    /// <summary>A copy to adjust without touching the caller's options.</summary>
    internal ReconcilerOptions Clone() => (ReconcilerOptions)MemberwiseClone();
}
