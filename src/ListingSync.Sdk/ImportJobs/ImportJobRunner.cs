using ListingSync.Sdk.Channels;
using ListingSync.Sdk.Model;

namespace ListingSync.Sdk.ImportJobs;

/// <summary>
/// Runs import jobs on any <see cref="IImportJobChannel"/>: start, monitor with progress until the job finishes, collect
/// its issues; pause, resume and terminate where the channel allows (<see cref="IImportJobControl"/>). Waiting is
/// cancellable; cancelling stops the waiting, not the job (call <see cref="TerminateAsync"/> for that).
/// </summary>
public sealed class ImportJobRunner
{
    private readonly IImportJobChannel _channel;
    private readonly TimeProvider _time;

    /// <summary>Creates a runner polling every <paramref name="pollInterval"/> (default 2 s).</summary>
    public ImportJobRunner(IImportJobChannel channel, TimeSpan? pollInterval = null, TimeProvider? timeProvider = null)
    {
        _channel = channel ?? throw new ArgumentNullException(nameof(channel));
        PollInterval = pollInterval ?? TimeSpan.FromSeconds(2);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(PollInterval, TimeSpan.Zero, nameof(pollInterval));
        _time = timeProvider ?? TimeProvider.System;
    }

    /// <summary>How often a running job is read at first, and again after every change.</summary>
    public TimeSpan PollInterval { get; }

    /// <summary>
    /// The longest wait between two reads: while a job reports no change, each wait is 1.5 times the last, up to this
    /// (default 30 s, never less than <see cref="PollInterval"/>), so a long job is not polled at a fixed rate.
    /// </summary>
    public TimeSpan MaxPollInterval { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Uploads a file and waits for its job to finish.</summary>
    public Task<ImportJobOutcome> RunAsync(SellerScope seller, Stream content, string fileName, IProgress<ImportJobProgress>? progress = null, CancellationToken cancellationToken = default) =>
        RunAsync(seller, content, fileName, progress, null, cancellationToken);

    /// <summary>Uploads a file, tells <paramref name="started"/> about the job the marketplace accepted, and waits for it to finish.</summary>
    public async Task<ImportJobOutcome> RunAsync(SellerScope seller, Stream content, string fileName, IProgress<ImportJobProgress>? progress, Func<ImportJobStatus, CancellationToken, ValueTask>? started, CancellationToken cancellationToken = default)
    {
        var job = await _channel.StartImportAsync(seller, content, fileName, cancellationToken).ConfigureAwait(false);
        if (started is not null)
        {
            await started(job, cancellationToken).ConfigureAwait(false);
        }

        var startedStatus = job;
        progress?.Report(ImportJobProgress.Of(startedStatus));
        return await WaitAsync(seller, job.Id, progress, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Reads the job until it finishes (completed, terminated or failed), reporting each change; then reads its issues.</summary>
    public Task<ImportJobOutcome> WaitAsync(SellerScope seller, string jobId, IProgress<ImportJobProgress>? progress = null, CancellationToken cancellationToken = default) =>
        WaitAsync(seller, jobId, progress, static s => s.IsFinished, cancellationToken);

    /// <summary>
    /// Reads the job until <paramref name="until"/> holds (e.g. an Instica job that processed up to its limit and waits
    /// for the next start), reporting each change and backing off while nothing changes; then reads its issues.
    /// </summary>
    public async Task<ImportJobOutcome> WaitAsync(SellerScope seller, string jobId, IProgress<ImportJobProgress>? progress, Func<ImportJobStatus, bool> until, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(jobId);
        ArgumentNullException.ThrowIfNull(until);
        ImportJobProgress? last = null;
        var wait = PollInterval;
        var longest = MaxPollInterval < PollInterval ? PollInterval : MaxPollInterval;
        while (true)
        {
            var status = await _channel.GetImportAsync(seller, jobId, cancellationToken).ConfigureAwait(false);
            var now = ImportJobProgress.Of(status);
            if (now != last)
            {
                progress?.Report(now);
                last = now;
                wait = PollInterval;
            }
            else
            {
                wait = TimeSpan.FromTicks(Math.Min(longest.Ticks, (long)(wait.Ticks * 1.5)));
            }

            if (until(status))
            {
                var issues = status.Failed > 0 || status.Conflicted > 0 || status.State == ImportJobState.Failed
                    ? await _channel.GetImportIssuesAsync(seller, jobId, cancellationToken).ConfigureAwait(false)
                    : [];
                return new ImportJobOutcome(status, issues);
            }

            await Task.Delay(wait, _time, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Resolves one conflicting item (<see cref="IImportJobIssueResolution"/>).</summary>
    /// <exception cref="NotSupportedException">The channel's jobs hold no conflicts to resolve.</exception>
    public Task<ImportJobStatus> ResolveConflictAsync(SellerScope seller, string jobId, string itemId, string? resolution = null, CancellationToken cancellationToken = default) =>
        Resolution().ResolveConflictAsync(seller, jobId, itemId, resolution, cancellationToken);

    /// <summary>Processes every failed item again (<see cref="IImportJobIssueResolution"/>).</summary>
    public Task<ImportJobStatus> RetryFailedAsync(SellerScope seller, string jobId, CancellationToken cancellationToken = default) =>
        Resolution().RetryFailedAsync(seller, jobId, cancellationToken);

    /// <summary>Skips every remaining conflict (<see cref="IImportJobIssueResolution"/>).</summary>
    public Task<ImportJobStatus> SkipAllConflictsAsync(SellerScope seller, string jobId, CancellationToken cancellationToken = default) =>
        Resolution().SkipAllConflictsAsync(seller, jobId, cancellationToken);

    private IImportJobIssueResolution Resolution() => _channel as IImportJobIssueResolution
        ?? throw new NotSupportedException($"{_channel.GetType().Name} holds no import conflicts to resolve, retry or skip (it does not implement {nameof(IImportJobIssueResolution)}).");

    /// <summary>Pauses a running job.</summary>
    /// <exception cref="NotSupportedException">The channel cannot pause jobs.</exception>
    public Task<ImportJobStatus> PauseAsync(SellerScope seller, string jobId, CancellationToken cancellationToken = default) => Control().PauseImportAsync(seller, jobId, cancellationToken);

    /// <summary>Resumes a paused job.</summary>
    /// <exception cref="NotSupportedException">The channel cannot resume jobs.</exception>
    public Task<ImportJobStatus> ResumeAsync(SellerScope seller, string jobId, CancellationToken cancellationToken = default) => Control().ResumeImportAsync(seller, jobId, cancellationToken);

    /// <summary>Stops a job for good.</summary>
    /// <exception cref="NotSupportedException">The channel cannot terminate jobs.</exception>
    public Task<ImportJobStatus> TerminateAsync(SellerScope seller, string jobId, CancellationToken cancellationToken = default) => Control().TerminateImportAsync(seller, jobId, cancellationToken);

    private IImportJobControl Control() => _channel as IImportJobControl
        ?? throw new NotSupportedException($"{_channel.GetType().Name} cannot pause, resume or terminate import jobs.");
}
