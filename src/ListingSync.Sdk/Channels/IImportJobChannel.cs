using ListingSync.Sdk.Model;

namespace ListingSync.Sdk.Channels;

/// <summary>
/// A channel that ingests large catalogues through asynchronous import jobs (Managem CSV imports;
/// Instica import jobs). Needs <see cref="ChannelCapabilities.ImportJobs"/>.
/// </summary>
public interface IImportJobChannel
{
    /// <summary>Starts a job from a file the caller supplies (e.g. Managem's CSV). Not retried: a repeat would import twice.</summary>
    Task<ImportJobStatus> StartImportAsync(SellerScope seller, Stream content, string fileName, CancellationToken cancellationToken = default);

    /// <summary>Reads a job's progress.</summary>
    Task<ImportJobStatus> GetImportAsync(SellerScope seller, string jobId, CancellationToken cancellationToken = default);

    /// <summary>Reads the rows or items a job could not import.</summary>
    Task<IReadOnlyList<ImportJobIssue>> GetImportIssuesAsync(SellerScope seller, string jobId, CancellationToken cancellationToken = default);
}
