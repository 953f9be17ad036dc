using ListingSync.Sdk.Model;

namespace ListingSync.Sdk.Channels;

/// <summary>An <see cref="IImportJobChannel"/> whose running jobs can be paused, resumed and terminated (Managem).</summary>
public interface IImportJobControl
{
    /// <summary>Pauses a running job. Idempotent.</summary>
    Task<ImportJobStatus> PauseImportAsync(SellerScope seller, string jobId, CancellationToken cancellationToken = default);

    /// <summary>Resumes a paused job. Idempotent.</summary>
    Task<ImportJobStatus> ResumeImportAsync(SellerScope seller, string jobId, CancellationToken cancellationToken = default);

    /// <summary>Stops a job for good; rows not yet processed are not imported. Idempotent.</summary>
    Task<ImportJobStatus> TerminateImportAsync(SellerScope seller, string jobId, CancellationToken cancellationToken = default);
}
