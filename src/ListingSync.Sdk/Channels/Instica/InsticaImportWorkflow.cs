using System.Globalization;
using System.Text;
using ListingSync.Sdk.ImportJobs;
using ListingSync.Sdk.Mapping;
using ListingSync.Sdk.Model;

namespace ListingSync.Sdk.Channels.Instica;

/// <summary>How <see cref="InsticaImportWorkflow"/> samples and waits.</summary>
public sealed record InsticaImportOptions
{
    /// <summary>Items in the first, checked sample (seed 004: import a small sample first). Default 10.</summary>
    public int SampleSize { get; init; } = 10;

    /// <summary>The first wait between two reads of a job; it grows while nothing changes. Default 1 s.</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>The longest wait between two reads of a job. Default 15 s.</summary>
    public TimeSpan MaxPollInterval { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>Skip conflicting items when importing the rest (they stay listed for the host otherwise). Default false.</summary>
    public bool SkipConflictsInRest { get; init; }

    /// <summary>The host reference proposed for an imported item; default its SKU, else <c>instica:&lt;uid&gt;</c>.</summary>
    public Func<InsticaInventoryItem, string>? Reference { get; init; }
}

/// <summary>One item an import brought in: the item, a host draft made from it, the mapping to record, and what looks wrong.</summary>
/// <param name="Item">The inventory item Instica created.</param>
/// <param name="Draft">The item as a host draft (the host seeds its own record from it; from then on the host is the source of truth).</param>
/// <param name="Mapping">The mapping <see cref="InsticaImportWorkflow.AdoptAsync"/> records for the draft's reference.</param>
/// <param name="ExternalListingId">The listing's id on the source platform.</param>
/// <param name="ExternalUrl">The link back to the external listing.</param>
/// <param name="Problems">What the check found missing or odd (empty when the item looks right).</param>
public sealed record InsticaImportedListing(InsticaInventoryItem Item, ListingDraft Draft, ListingMapping Mapping, string? ExternalListingId, string? ExternalUrl, IReadOnlyList<string> Problems);

/// <summary>What one stage of an import (the sample, or the rest) produced.</summary>
/// <param name="Platform">The source platform.</param>
/// <param name="Job">The job after the stage.</param>
/// <param name="Imported">Items the stage brought in, checked.</param>
/// <param name="Conflicts">Items in conflict, with their type and detail, for the host to resolve or skip.</param>
/// <param name="Failed">Items that failed, with their error.</param>
public sealed record InsticaImportStage(string Platform, ImportJobStatus Job, IReadOnlyList<InsticaImportedListing> Imported, IReadOnlyList<InsticaImportItem> Conflicts, IReadOnlyList<InsticaImportItem> Failed)
{
    /// <summary>True when every imported item passed the check.</summary>
    public bool LooksRight => Imported.All(i => i.Problems.Count == 0);

    /// <summary>A readable report: the job, each item with its check, conflicts and failures.</summary>
    public string ToTable()
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"Import from {Platform}: job {Job.Id} {Job.RawState} — {Job.Succeeded} imported, {Job.Conflicted} in conflict, {Job.Failed} failed, {Job.Skipped} skipped of {Job.Total} found");
        foreach (var item in Imported)
        {
            var draft = item.Draft;
            text.AppendLine(CultureInfo.InvariantCulture, $"  {draft.Reference,-14} {draft.Titles.Values.FirstOrDefault(),-32} {draft.Condition.Code,-6} {draft.Price.Amount,9:0.00} {draft.Price.Currency} ×{draft.Quantity} {item.ExternalUrl ?? "(no link)"}{(item.Problems.Count == 0 ? "" : "  ✗ " + string.Join("; ", item.Problems))}");
        }

        foreach (var conflict in Conflicts)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"  conflict {conflict.Id}: {conflict.ConflictType} — {conflict.ConflictDetails} ({conflict.ListingTitle}, SKU {conflict.ExternalSku})");
        }

        foreach (var failed in Failed)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"  failed {failed.Id}: {failed.ErrorCode} — {failed.ErrorMessage} ({failed.ListingTitle})");
        }

        return text.ToString();
    }
}

/// <summary>
/// Imports a platform's existing listings the way seed 004 advises: one platform at a time; preview and import a small
/// sample first; check it (title, condition, price, quantity, the link back to the external listing); only then import
/// the rest. Conflicts come back with their type and detail for the host to resolve or skip
/// (<see cref="InsticaImportsClient.ResolveAsync"/>, <see cref="InsticaImportsClient.SkipAllConflictsAsync"/>). Imported
/// items come back as host drafts plus mappings; <see cref="AdoptAsync"/> records the mappings once the host has seeded
/// its records, and from then on the host is the source of truth.
/// </summary>
public sealed class InsticaImportWorkflow
{
    private readonly InsticaClient _client;
    private readonly IMappingStore _store;
    private readonly TimeProvider _time;

    /// <summary>Creates the workflow.</summary>
    public InsticaImportWorkflow(InsticaClient client, IMappingStore store, InsticaImportOptions? options = null, TimeProvider? timeProvider = null)
    {
        _client = client ?? throw new ArgumentNullException(nameof(client));
        _store = store ?? throw new ArgumentNullException(nameof(store));
        Options = options ?? new InsticaImportOptions();
        ArgumentOutOfRangeException.ThrowIfLessThan(Options.SampleSize, 1, nameof(options));
        _time = timeProvider ?? TimeProvider.System;
    }

    /// <summary>The options in force.</summary>
    public InsticaImportOptions Options { get; }

    /// <summary>Checks that <paramref name="platform"/> can be imported from through the API for this seller.</summary>
    /// <exception cref="InsticaPrerequisiteException">It is an extension platform, or the seller has not connected it.</exception>
    public async Task<InsticaPlatformStatus> CheckPlatformAsync(SellerScope seller, string platform, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(platform);
        var status = (await _client.GetPlatformStatusAsync(seller, cancellationToken).ConfigureAwait(false))
            .FirstOrDefault(p => string.Equals(p.Platform.Slug, platform, StringComparison.OrdinalIgnoreCase))
            ?? throw Refused(platform, InsticaPrerequisite.PlatformConnection, $"Instica lists no platform '{platform}'");
        if (status.Kind == InsticaPlatformKind.Extension)
        {
            throw Refused(platform, InsticaPrerequisite.ApiListing, $"{platform} imports by scraping in Instica's browser extension, not through an API import job");
        }

        if (status.Connection == InsticaConnectionState.NotConnected)
        {
            throw Refused(platform, InsticaPrerequisite.PlatformConnection, $"the seller has not connected {platform}: connect it in Instica ({status.Platform.ConnectionUrl}) and try again");
        }

        return status;
    }

    /// <summary>Creates a job for <paramref name="platform"/>, previews it, imports <see cref="InsticaImportOptions.SampleSize"/> items and checks them.</summary>
    public async Task<InsticaImportStage> ImportSampleAsync(SellerScope seller, string platform, IProgress<ImportJobProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        var status = await CheckPlatformAsync(seller, platform, cancellationToken).ConfigureAwait(false);
        var job = status.SellerAccountUid is { } account
            ? await _client.ImportJobs.CreateJobAsync(seller, account, platform, cancellationToken).ConfigureAwait(false)
            : await _client.ImportJobs.QuickImportAsync(seller, platform, cancellationToken).ConfigureAwait(false);
        var jobId = job.Id ?? throw InsticaClient.Unreadable("imports.create", $"import from {platform}", "the job has no id");
        await _client.ImportJobs.PreviewAsync(seller, jobId, limit: Options.SampleSize, cancellationToken: cancellationToken).ConfigureAwait(false);
        await WaitAsync(seller, jobId, progress, cancellationToken).ConfigureAwait(false);
        await _client.ImportJobs.StartAsync(seller, jobId, skipConflicts: false, limit: Options.SampleSize, cancellationToken: cancellationToken).ConfigureAwait(false);
        return await CollectAsync(seller, platform, jobId, progress, [], cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Imports the rest of the sample's job (after the host checked and adopted the sample).</summary>
    public async Task<InsticaImportStage> ImportRestAsync(SellerScope seller, InsticaImportStage sample, IProgress<ImportJobProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(sample);
        await _client.ImportJobs.StartAsync(seller, sample.Job.Id, Options.SkipConflictsInRest, cancellationToken: cancellationToken).ConfigureAwait(false);
        var known = sample.Imported.Select(i => i.Item.Uid!).ToHashSet(StringComparer.Ordinal);
        return await CollectAsync(seller, sample.Platform, sample.Job.Id, progress, known, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Reads the job and what it brought in again (e.g. after resolving conflicts or retrying failed items).</summary>
    public Task<InsticaImportStage> RefreshAsync(SellerScope seller, InsticaImportStage stage, IProgress<ImportJobProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stage);
        return CollectAsync(seller, stage.Platform, stage.Job.Id, progress, [], cancellationToken);
    }

    /// <summary>Records the mappings of <paramref name="imported"/> (after the host seeded its records from the drafts).</summary>
    public async Task<IReadOnlyList<ListingMapping>> AdoptAsync(IReadOnlyList<InsticaImportedListing> imported, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(imported);
        return imported.Count == 0 ? [] : await _store.UpsertManyAsync([.. imported.Select(i => i.Mapping)], cancellationToken).ConfigureAwait(false);
    }

    private async Task<ImportJobOutcome> WaitAsync(SellerScope seller, string jobId, IProgress<ImportJobProgress>? progress, CancellationToken cancellationToken)
    {
        var runner = new ImportJobRunner(new InsticaImportChannel(_client), Options.PollInterval, _time) { MaxPollInterval = Options.MaxPollInterval };
        return await runner.WaitAsync(seller, jobId, progress, static s => s.State is not ImportJobState.Running, cancellationToken).ConfigureAwait(false);
    }

    private async Task<InsticaImportStage> CollectAsync(SellerScope seller, string platform, string jobId, IProgress<ImportJobProgress>? progress, HashSet<string> known, CancellationToken cancellationToken)
    {
        var outcome = await WaitAsync(seller, jobId, progress, cancellationToken).ConfigureAwait(false);
        var issues = outcome.Issues.Count == 0 ? [] : await _client.ImportJobs.ListIssuesAsync(seller, jobId, null, cancellationToken).ConfigureAwait(false);
        var channel = new InsticaChannel(_client, platform);
        var scope = new MappingScope(channel.Name, seller);
        // Items the host knows already (mapped) are not imported again: one read of the scope's mappings, not one per item.
        var mapped = new HashSet<string>(StringComparer.Ordinal);
        await foreach (var mapping in _store.ListAsync(scope, cancellationToken).ConfigureAwait(false))
        {
            if (mapping.ListingId is { } id)
            {
                mapped.Add(id);
            }
        }

        var imported = new List<InsticaImportedListing>();
        await foreach (var item in _client.Inventory.ListAllAsync(seller, InsticaInventoryQuery.All, cancellationToken).ConfigureAwait(false))
        {
            if (item.Uid is null || known.Contains(item.Uid) || mapped.Contains(item.Uid) || item.ListingOn(platform) is null)
            {
                continue;
            }

            imported.Add(Imported(channel, scope, item));
        }

        return new InsticaImportStage(
            platform,
            outcome.Status,
            imported,
            [.. issues.Where(i => i.Status == "conflict")],
            [.. issues.Where(i => i.Status == "failed")]);
    }

    private InsticaImportedListing Imported(InsticaChannel channel, MappingScope scope, InsticaInventoryItem item)
    {
        var listing = channel.ToListing(item);
        var live = item.ListingOn(channel.Platform);
        var reference = Options.Reference?.Invoke(item) ?? (item.ManualSku is { Length: > 0 } sku ? sku.Trim() : "instica:" + item.Uid);
        var problems = new List<string>();
        if (listing.Titles.Count == 0)
        {
            problems.Add("no title");
        }

        if (string.IsNullOrEmpty(item.ConditionItem))
        {
            problems.Add("no condition grade");
        }

        if (item.PriceTotalUsd is not > 0)
        {
            problems.Add(item.PriceTotalUsd is null ? "no price" : $"price {item.PriceTotalUsd} is not positive");
        }

        if (string.IsNullOrEmpty(item.ManualSku))
        {
            problems.Add("no SKU (the channel adopts by SKU)");
        }

        if (string.IsNullOrEmpty(live?.ListingUrl))
        {
            problems.Add("no link back to the external listing");
        }

        var draft = ListingDraft.From(listing, reference);
        var mapping = new ListingMapping { Scope = scope, Reference = reference, ListingId = item.Uid, Item = listing.Item, RemoteUpdatedAt = item.UpdatedAt };
        return new InsticaImportedListing(item, draft, mapping, live?.ListingId, live?.ListingUrl, problems);
    }

    private static InsticaPrerequisiteException Refused(string platform, InsticaPrerequisite missing, string why) =>
        new($"Cannot import from {platform}: {why}.")
        {
            Channel = InsticaClientOptions.ChannelName,
            Operation = "imports.check",
            Prerequisite = missing,
            Platform = platform,
            ErrorMessage = why,
        };
}
