using System.Text;
using ListingSync.Sdk.ImportJobs;
using ListingSync.Sdk.Model;

namespace ListingSync.Sdk.Channels.Managem;

/// <summary>
/// Managem CSV import jobs end to end: build the files from drafts (<see cref="ManagemCsvImportBuilder"/>, streamed
/// through temporary files, never whole in memory), upload them one after another, monitor each with progress, read
/// the row errors back into <see cref="ManagemImportRowError"/>s, retry failed rows as a new file, and — seed 004's
/// advice — a staged import that checks a small sample against the marketplace before sending the rest.
/// </summary>
public sealed class ManagemImportJobs
{
    private readonly ManagemChannel _channel;

    /// <summary>Creates the workflow over <paramref name="channel"/>, writing files with <paramref name="csv"/> (default: the client's <see cref="ManagemClientOptions.Import"/>, currency and decimals).</summary>
    public ManagemImportJobs(ManagemChannel channel, ManagemCsvImportOptions? csv = null, TimeProvider? timeProvider = null)
    {
        _channel = channel ?? throw new ArgumentNullException(nameof(channel));
        var client = channel.Client.Options;
        Builder = new ManagemCsvImportBuilder(csv ?? new ManagemCsvImportOptions
        {
            Mode = client.Import.Mode,
            MaxRowsPerFile = client.Import.MaxRowsPerFile,
            Language = client.Import.Language,
            VariantSeparator = client.Import.VariantSeparator,
            WorkingDirectory = client.Import.WorkingDirectory,
            Currency = client.Currency,
            CurrencyDecimals = client.CurrencyDecimals,
        });
        Runner = new ImportJobRunner(channel, client.ImportPollInterval, timeProvider);
    }

    /// <summary>Writes the files.</summary>
    public ManagemCsvImportBuilder Builder { get; }

    /// <summary>Starts, watches, pauses, resumes and terminates jobs.</summary>
    public ImportJobRunner Runner { get; }

    /// <summary>
    /// Builds and uploads <paramref name="drafts"/>, one job per file, waiting for each. A job that ends terminated or
    /// failed stops the upload of later files (reported in <see cref="ManagemImportResult.FilesNotUploaded"/>).
    /// </summary>
    public Task<ManagemImportResult> ImportAsync(SellerScope seller, IAsyncEnumerable<ListingDraft> drafts, IProgress<ImportJobProgress>? progress = null, CancellationToken cancellationToken = default) =>
        ImportAsync(seller, drafts, progress, null, cancellationToken);

    /// <summary>As <see cref="ImportAsync(SellerScope, IAsyncEnumerable{ListingDraft}, IProgress{ImportJobProgress}?, CancellationToken)"/>, telling <paramref name="jobStarted"/> about each job as soon as it is accepted.</summary>
    public async Task<ManagemImportResult> ImportAsync(SellerScope seller, IAsyncEnumerable<ListingDraft> drafts, IProgress<ImportJobProgress>? progress, Func<ImportJobStatus, CancellationToken, ValueTask>? jobStarted, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(drafts);
        var directory = ImportWorkingDirectory.CreateRun(Builder.Options.WorkingDirectory);
        try
        {
            string PathOf(int index) => Path.Combine(directory.FullName, $"listings-{index:D3}.csv");
            var build = await Builder.WriteAsync(drafts, index => ImportWorkingDirectory.CreateFile(PathOf(index)), cancellationToken).ConfigureAwait(false);
            var jobs = new List<ImportJobOutcome>();
            var errors = new List<ManagemImportRowError>();
            foreach (var file in build.Files)
            {
                var outcome = await UploadAsync(seller, PathOf(file.Index), Path.GetFileName(PathOf(file.Index)), progress, cancellationToken, jobStarted).ConfigureAwait(false);
                jobs.Add(outcome);
                errors.AddRange(ManagemImportRowError.Read(outcome.Status.Id, outcome.Issues));
                if (outcome.Status.State is ImportJobState.Terminated or ImportJobState.Failed)
                {
                    break;
                }
            }

            return new ManagemImportResult(build, jobs, errors);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    /// <summary>
    /// Sends the failed rows again as a new file: exactly the lines Managem quoted, under the same header. Pass the row
    /// errors worth retrying (e.g. not the 400s a new attempt cannot fix).
    /// </summary>
    public async Task<ManagemImportResult> RetryFailedRowsAsync(SellerScope seller, IEnumerable<ManagemImportRowError> failed, IProgress<ImportJobProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(failed);
        var lines = failed.Where(e => !string.IsNullOrEmpty(e.Line)).Select(e => e.Line!).ToList();
        var build = new CsvImportBuildResult(lines.Count == 0 ? [] : [new CsvImportFile(0, lines.Count, 0)], lines.Count, []);
        if (lines.Count == 0)
        {
            return new ManagemImportResult(build, [], []);
        }

        using var content = new MemoryStream();
        using (var writer = new StreamWriter(content, new UTF8Encoding(false), 64 * 1024, leaveOpen: true))
        {
            await writer.WriteAsync(ManagemCsvImportBuilder.Header + "\r\n").ConfigureAwait(false);
            foreach (var line in lines)
            {
                await writer.WriteAsync(line + "\r\n").ConfigureAwait(false);
            }
        }

        content.Position = 0;
        var outcome = await Runner.RunAsync(seller, content, "listings-retry.csv", progress, cancellationToken).ConfigureAwait(false);
        return new ManagemImportResult(build, [outcome], ManagemImportRowError.Read(outcome.Status.Id, outcome.Issues));
    }

    /// <summary>
    /// Imports the first <paramref name="sampleSize"/> drafts, checks that each sampled listing now exists on Managem
    /// with the expected price, quantity, condition and visibility, and only then imports the rest. Stops with the
    /// problems found when the sample fails (row errors, rejected rows, missing or different listings).
    /// </summary>
    public async Task<StagedImportReport> ImportStagedAsync(SellerScope seller, IAsyncEnumerable<ListingDraft> drafts, int sampleSize = 20, IProgress<ImportJobProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(drafts);
        ArgumentOutOfRangeException.ThrowIfLessThan(sampleSize, 1);
        var enumerator = drafts.GetAsyncEnumerator(cancellationToken);
        await using (enumerator.ConfigureAwait(false))
        {
            var sample = new List<ListingDraft>(sampleSize);
            var more = false;
            while (sample.Count < sampleSize && (more = await enumerator.MoveNextAsync().ConfigureAwait(false)))
            {
                sample.Add(enumerator.Current);
            }

            var sampled = await ImportAsync(seller, sample.ToAsyncEnumerable(), progress, cancellationToken).ConfigureAwait(false);
            var problems = await CheckSampleAsync(seller, sample, sampled, cancellationToken).ConfigureAwait(false);
            if (problems.Count > 0)
            {
                return new StagedImportReport(sampled, problems, null);
            }

            if (!more || !await enumerator.MoveNextAsync().ConfigureAwait(false))
            {
                return new StagedImportReport(sampled, problems, new ManagemImportResult(new CsvImportBuildResult([], 0, []), [], []));
            }

            var rest = await ImportAsync(seller, Remaining(enumerator, cancellationToken), progress, cancellationToken).ConfigureAwait(false);
            return new StagedImportReport(sampled, problems, rest);
        }
    }

    private static async IAsyncEnumerable<ListingDraft> Remaining(IAsyncEnumerator<ListingDraft> enumerator, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        // The caller has already moved onto the first remaining draft.
        do
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return enumerator.Current;
        }
        while (await enumerator.MoveNextAsync().ConfigureAwait(false));
    }

    private async Task<List<string>> CheckSampleAsync(SellerScope seller, List<ListingDraft> sample, ManagemImportResult result, CancellationToken cancellationToken)
    {
        var problems = new List<string>();
        problems.AddRange(result.Build.Rejected.Select(r => $"sample row {r.InputIndex} ({r.Reference}) was not written: {string.Join("; ", r.Errors)}"));
        problems.AddRange(result.RowErrors.Select(e => $"sample row failed on Managem: {e}"));
        problems.AddRange(result.Jobs.Where(j => j.Status.State != ImportJobState.Completed).Select(j => $"sample job {j.Status.Id} ended {j.Status.State}"));
        if (problems.Count > 0)
        {
            return problems;
        }

        var expected = sample.Where(d => !string.IsNullOrEmpty(d.Reference)).ToDictionary(d => d.Reference!.Trim(), StringComparer.Ordinal);
        var found = new Dictionary<string, Listing>(StringComparer.Ordinal);
        var urns = expected.Values.Where(d => d.Item.Urn is not null).Select(d => d.Item.Urn!).ToList();
        IEnumerable<Listing> candidates = urns.Count == expected.Count
            ? await _channel.Client.Listings.GetByItemAsync(seller, urns, cancellationToken).ConfigureAwait(false)
            : await _channel.GetListingsAsync(seller, cancellationToken).ToListAsync(cancellationToken).ConfigureAwait(false);
        foreach (var listing in candidates)
        {
            if (listing.Reference is { } reference && expected.ContainsKey(reference))
            {
                found.TryAdd(reference, listing);
            }
        }

        foreach (var (reference, draft) in expected)
        {
            if (!found.TryGetValue(reference, out var listing))
            {
                problems.Add($"{reference}: not on Managem after the sample import");
                continue;
            }

            if (listing.Price != draft.Price) problems.Add($"{reference}: price {listing.Price}, expected {draft.Price}");
            if (listing.Quantity != draft.Quantity) problems.Add($"{reference}: quantity {listing.Quantity}, expected {draft.Quantity}");
            if (listing.Condition != draft.Condition) problems.Add($"{reference}: condition {listing.Condition}, expected {draft.Condition}");
            if (listing.Visibility != draft.Visibility) problems.Add($"{reference}: visibility {listing.Visibility}, expected {draft.Visibility}");
        }

        return problems;
    }

    private async Task<ImportJobOutcome> UploadAsync(SellerScope seller, string path, string fileName, IProgress<ImportJobProgress>? progress, CancellationToken cancellationToken, Func<ImportJobStatus, CancellationToken, ValueTask>? jobStarted = null)
    {
        var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 64 * 1024, useAsync: true);
        await using (stream.ConfigureAwait(false))
        {
            return await Runner.RunAsync(seller, stream, fileName, progress, jobStarted, cancellationToken).ConfigureAwait(false);
        }
    }
}

/// <summary>What an import did: the files built (and rows rejected before upload), each job's outcome, the row errors.</summary>
/// <param name="Build">The files written and the rows rejected.</param>
/// <param name="Jobs">One outcome per uploaded file, in order.</param>
/// <param name="RowErrors">Every row Managem could not import.</param>
public sealed record ManagemImportResult(CsvImportBuildResult Build, IReadOnlyList<ImportJobOutcome> Jobs, IReadOnlyList<ManagemImportRowError> RowErrors)
{
    /// <summary>Rows imported across jobs.</summary>
    public long Imported => Jobs.Sum(j => j.Status.Succeeded);

    /// <summary>Files built but not uploaded because an earlier job ended terminated or failed.</summary>
    public int FilesNotUploaded => Build.Files.Count - Jobs.Count;

    /// <summary>True when every file was uploaded and every job completed without a row error or rejected row.</summary>
    public bool IsClean => FilesNotUploaded == 0 && RowErrors.Count == 0 && Build.Rejected.Count == 0 && Jobs.All(j => j.Status.State == ImportJobState.Completed);
}

/// <summary>A staged import: the sample, what was wrong with it, and the rest (null when the sample stopped it).</summary>
/// <param name="Sample">The sample's import.</param>
/// <param name="SampleProblems">Why the sample failed; empty when it passed.</param>
/// <param name="Rest">The rest's import; null when stopped.</param>
public sealed record StagedImportReport(ManagemImportResult Sample, IReadOnlyList<string> SampleProblems, ManagemImportResult? Rest)
{
    /// <summary>True when the sample failed and the rest was not sent.</summary>
    public bool Stopped => Rest is null;
}
