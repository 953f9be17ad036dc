using System.Text.Json;
using ListingSync.Sdk.Model;

namespace ListingSync.Sdk.Channels.Instica;

/// <summary>
/// Import jobs (<c>/api/v1/marketplace/…</c>, seed 002): create (and the per-platform quick import), list (the last
/// 50), detail with progress, preview and start (both 202: asynchronous), issues (paged, default 20, max 100; failed or
/// conflict), resolve one conflict, retry failed, skip all conflicts.
/// </summary>
public class InsticaImportsClient
{
    private const string Base = "api/v1/marketplace/";
    private readonly InsticaClient _client = null!;

    internal InsticaImportsClient(InsticaClient client) => _client = client;

    /// <summary>For mocking frameworks and test doubles only.</summary>
    protected InsticaImportsClient()
    {
    }

    /// <summary>Creates a job pulling the inventory of a connected account. Not retried: a repeat would make a second job.</summary>
    public virtual async Task<InsticaImportJob> CreateJobAsync(SellerScope seller, string sellerAccountUid, string marketplace, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(sellerAccountUid);
        ArgumentException.ThrowIfNullOrWhiteSpace(marketplace);
        var body = Body(("seller_account_uid", sellerAccountUid), ("marketplace", marketplace));
        var root = await _client.SendJsonAsync(seller, HttpMethod.Post, Base + "import/jobs/create/", body, InsticaJson.Default.DictionaryStringJsonElement, "imports.create", $"import from {marketplace}", idempotent: false, cancellationToken).ConfigureAwait(false);
        return InsticaClient.Read(root, InsticaJson.Default.InsticaImportJob, "imports.create", $"import from {marketplace}");
    }

    /// <summary>The shorthand: a job for <paramref name="platform"/>, the seller account resolved by Instica. Not retried.</summary>
    public virtual async Task<InsticaImportJob> QuickImportAsync(SellerScope seller, string platform, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(platform);
        var root = await _client.SendJsonAsync(seller, HttpMethod.Post, $"{Base}{InsticaClient.Escape(platform)}/import/", null, null, "imports.quick", $"import from {platform}", idempotent: false, cancellationToken).ConfigureAwait(false);
        return InsticaClient.Read(root, InsticaJson.Default.InsticaImportJob, "imports.quick", $"import from {platform}");
    }

    /// <summary>The last 50 jobs, newest first, optionally of one platform or status.</summary>
    public virtual async Task<IReadOnlyList<InsticaImportJob>> ListJobsAsync(SellerScope seller, string? marketplace = null, string? status = null, CancellationToken cancellationToken = default)
    {
        var root = await _client.GetJsonAsync(seller, Base + "import/jobs/" + InsticaClient.Query(("marketplace", marketplace), ("status", status)), "imports.list", "import jobs", cancellationToken).ConfigureAwait(false);
        return InsticaClient.ReadList(root, InsticaJson.Default.InsticaImportJob, "imports.list", "import jobs");
    }

    /// <summary>One job with its progress; null when none.</summary>
    public virtual async Task<InsticaImportJob?> GetJobAsync(SellerScope seller, string jobUid, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(jobUid);
        var root = await _client.GetJsonAsync(seller, $"{Base}import/jobs/{InsticaClient.Escape(jobUid)}/", "imports.get", $"import {jobUid}", cancellationToken, notFoundIsNull: true).ConfigureAwait(false);
        return root.ValueKind == JsonValueKind.Undefined ? null : InsticaClient.Read(root, InsticaJson.Default.InsticaImportJob, "imports.get", $"import {jobUid}");
    }

    /// <summary>Previews what the job will produce (202: runs asynchronously; read the job for the outcome).</summary>
    /// <param name="seller">The seller.</param>
    /// <param name="jobUid">The job.</param>
    /// <param name="statusFilter">Only items with this status.</param>
    /// <param name="limit">At most this many items.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    public virtual Task PreviewAsync(SellerScope seller, string jobUid, string? statusFilter = null, int? limit = null, CancellationToken cancellationToken = default) =>
        ProcessAsync(seller, "preview", jobUid, statusFilter, limit, null, cancellationToken);

    /// <summary>Starts (or continues) processing (202: asynchronous). <paramref name="limit"/> processes at most that many items, e.g. a sample.</summary>
    public virtual Task StartAsync(SellerScope seller, string jobUid, bool skipConflicts = false, string? statusFilter = null, int? limit = null, CancellationToken cancellationToken = default) =>
        ProcessAsync(seller, "start", jobUid, statusFilter, limit, skipConflicts, cancellationToken);

    private async Task ProcessAsync(SellerScope seller, string verb, string jobUid, string? statusFilter, int? limit, bool? skipConflicts, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(jobUid);
        if (limit is < 1)
        {
            throw new ListingSyncValidationException([new FieldError("limit", "min", $"must be at least 1, was {limit}")]);
        }

        var body = Body(("job_uid", jobUid), ("status_filter", statusFilter));
        if (limit is { } l)
        {
            body["limit"] = JsonSerializer.SerializeToElement(l, InsticaJson.Default.Int32);
        }

        if (skipConflicts is { } skip)
        {
            body["skip_conflicts"] = JsonSerializer.SerializeToElement(skip, InsticaJson.Default.Boolean);
        }

        // Starting a job that is already processing is harmless on Instica's side (the job moves on), so these are retried.
        await _client.SendAsync(seller, HttpMethod.Post, $"{Base}import/{verb}/", body, InsticaJson.Default.DictionaryStringJsonElement, "imports." + verb, $"import {jobUid}", idempotent: true, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>One page (1-based) of a job's failed or conflicting items; <paramref name="status"/> <c>failed</c> or <c>conflict</c> filters.</summary>
    public virtual async Task<InsticaPage<InsticaImportItem>> GetIssuesPageAsync(SellerScope seller, string jobUid, string? status = null, int page = 1, int pageSize = 20, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(jobUid);
        InsticaClient.CheckPageSize(pageSize);

        var path = $"{Base}import/jobs/{InsticaClient.Escape(jobUid)}/issues/" + InsticaClient.Query(("status", status), ("page", InsticaClient.Number(page)), ("page_size", InsticaClient.Number(pageSize)));
        var root = await _client.GetJsonAsync(seller, path, "imports.issues", $"import {jobUid} issues page {page}", cancellationToken).ConfigureAwait(false);
        return InsticaClient.ReadPage(root, page, InsticaJson.Default.InsticaImportItem, "imports.issues", $"import {jobUid} issues");
    }

    /// <summary>Every failed or conflicting item of a job (pages of 100), with the same scan checks as inventory pages.</summary>
    public virtual async Task<IReadOnlyList<InsticaImportItem>> ListIssuesAsync(SellerScope seller, string jobUid, string? status = null, CancellationToken cancellationToken = default)
    {
        var all = new List<InsticaImportItem>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var page = 1; ; page++)
        {
            var answer = await GetIssuesPageAsync(seller, jobUid, status, page, 100, cancellationToken).ConfigureAwait(false);
            foreach (var item in answer.Results)
            {
                if (item.Id is { } id && !seen.Add(id))
                {
                    throw new ListingSyncRequestException($"Instica import {jobUid} issues page {page} returned item {id} again (the pages repeat).")
                    {
                        Channel = InsticaClientOptions.ChannelName,
                        Operation = "imports.issues",
                        ErrorCode = "inconsistent-page",
                    };
                }

                all.Add(item);
            }

            if (answer.Next is null || answer.Results.Count == 0 || (answer.Count is { } count && all.Count >= count))
            {
                return all;
            }
        }
    }

    /// <summary>Resolves one conflicting item; <paramref name="resolution"/> is sent as <c>{ "resolution": … }</c> when given (Instica's values are not published).</summary>
    public virtual Task<InsticaImportJob> ResolveAsync(SellerScope seller, string jobUid, string itemUid, string? resolution = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(itemUid);
        return ActAsync(seller, jobUid, $"items/{InsticaClient.Escape(itemUid)}/resolve/", "imports.resolve", resolution is null ? null : Body(("resolution", resolution)), cancellationToken);
    }

    /// <summary>Retries every failed item of the job.</summary>
    public virtual Task<InsticaImportJob> RetryFailedAsync(SellerScope seller, string jobUid, CancellationToken cancellationToken = default) =>
        ActAsync(seller, jobUid, "retry-failed/", "imports.retry-failed", null, cancellationToken);

    /// <summary>Skips every remaining conflict of the job.</summary>
    public virtual Task<InsticaImportJob> SkipAllConflictsAsync(SellerScope seller, string jobUid, CancellationToken cancellationToken = default) =>
        ActAsync(seller, jobUid, "skip-all-conflicts/", "imports.skip-all-conflicts", null, cancellationToken);

    /// <summary>Sends the action; answers with the job (read again when the answer is not a job).</summary>
    private async Task<InsticaImportJob> ActAsync(SellerScope seller, string jobUid, string action, string operation, Dictionary<string, JsonElement>? body, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(jobUid);
        var root = await _client.SendJsonAsync(seller, HttpMethod.Post, $"{Base}import/jobs/{InsticaClient.Escape(jobUid)}/{action}", body, body is null ? null : InsticaJson.Default.DictionaryStringJsonElement, operation, $"import {jobUid}", idempotent: true, cancellationToken).ConfigureAwait(false);
        if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("id", out var id) && id.ValueKind == JsonValueKind.String && root.TryGetProperty("status", out _))
        {
            return InsticaClient.Read(root, InsticaJson.Default.InsticaImportJob, operation, $"import {jobUid}");
        }

        return await GetJobAsync(seller, jobUid, cancellationToken).ConfigureAwait(false)
            ?? throw new ListingSyncRequestException($"Instica has no import job {jobUid} after {operation}.") { Channel = InsticaClientOptions.ChannelName, Operation = operation, ErrorCode = "not-found" };
    }

    private static Dictionary<string, JsonElement> Body(params (string Name, string? Value)[] fields)
    {
        var body = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (var (name, value) in fields)
        {
            if (value is not null)
            {
                body[name] = JsonSerializer.SerializeToElement(value, InsticaJson.Default.String);
            }
        }

        return body;
    }
}
