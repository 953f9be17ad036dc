using ListingSync.Sdk.Model;

namespace ListingSync.Sdk.Channels.Instica;

/// <summary>
/// Instica's import jobs in the SDK's channel-neutral terms, for <c>ImportJobRunner</c>: read a job and its issues,
/// list recent jobs, resolve a conflict, retry failed items, skip all conflicts. Instica imports from a connected
/// platform, not from a file: start jobs with <see cref="StartPlatformImportAsync"/> (or through
/// <see cref="InsticaImportWorkflow"/>, which samples first).
/// </summary>
public sealed class InsticaImportChannel : IImportJobChannel, IImportJobIssueResolution, IImportJobLister
{
    private readonly InsticaClient _client;

    /// <summary>Creates the adapter over <paramref name="client"/>.</summary>
    public InsticaImportChannel(InsticaClient client) => _client = client ?? throw new ArgumentNullException(nameof(client));

    /// <summary>Not available: Instica imports from a connected platform (<see cref="StartPlatformImportAsync"/>), not from an uploaded file.</summary>
    public Task<ImportJobStatus> StartImportAsync(SellerScope seller, Stream content, string fileName, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException("Instica imports from a connected platform, not from an uploaded file: use InsticaImportChannel.StartPlatformImportAsync or InsticaImportWorkflow.");

    /// <summary>Creates a job for <paramref name="platform"/> (the quick import) and starts it, at most <paramref name="limit"/> items when given.</summary>
    public async Task<ImportJobStatus> StartPlatformImportAsync(SellerScope seller, string platform, int? limit = null, bool skipConflicts = false, CancellationToken cancellationToken = default)
    {
        var job = await _client.ImportJobs.QuickImportAsync(seller, platform, cancellationToken).ConfigureAwait(false);
        await _client.ImportJobs.StartAsync(seller, job.Id!, skipConflicts, limit: limit, cancellationToken: cancellationToken).ConfigureAwait(false);
        return await GetImportAsync(seller, job.Id!, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<ImportJobStatus> GetImportAsync(SellerScope seller, string jobId, CancellationToken cancellationToken = default)
    {
        var job = await _client.ImportJobs.GetJobAsync(seller, jobId, cancellationToken).ConfigureAwait(false)
            ?? throw new ListingSyncRequestException($"Instica has no import job {jobId}.") { Channel = InsticaClientOptions.ChannelName, Operation = "imports.get", StatusCode = System.Net.HttpStatusCode.NotFound, ErrorCode = "not-found" };
        return job.ToStatus();
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<ImportJobIssue>> GetImportIssuesAsync(SellerScope seller, string jobId, CancellationToken cancellationToken = default) =>
        [.. (await _client.ImportJobs.ListIssuesAsync(seller, jobId, null, cancellationToken).ConfigureAwait(false)).Select(i => i.ToIssue())];

    /// <inheritdoc />
    public async Task<IReadOnlyList<ImportJobStatus>> ListImportsAsync(SellerScope seller, CancellationToken cancellationToken = default) =>
        [.. (await _client.ImportJobs.ListJobsAsync(seller, cancellationToken: cancellationToken).ConfigureAwait(false)).Select(j => j.ToStatus())];

    /// <inheritdoc />
    public async Task<ImportJobStatus> ResolveConflictAsync(SellerScope seller, string jobId, string itemId, string? resolution = null, CancellationToken cancellationToken = default) =>
        (await _client.ImportJobs.ResolveAsync(seller, jobId, itemId, resolution, cancellationToken).ConfigureAwait(false)).ToStatus();

    /// <inheritdoc />
    public async Task<ImportJobStatus> RetryFailedAsync(SellerScope seller, string jobId, CancellationToken cancellationToken = default) =>
        (await _client.ImportJobs.RetryFailedAsync(seller, jobId, cancellationToken).ConfigureAwait(false)).ToStatus();

    /// <inheritdoc />
    public async Task<ImportJobStatus> SkipAllConflictsAsync(SellerScope seller, string jobId, CancellationToken cancellationToken = default) =>
        (await _client.ImportJobs.SkipAllConflictsAsync(seller, jobId, cancellationToken).ConfigureAwait(false)).ToStatus();
}
