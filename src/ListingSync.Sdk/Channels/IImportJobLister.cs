using ListingSync.Sdk.Model;

namespace ListingSync.Sdk.Channels;

/// <summary>
/// A channel that lists a seller's import jobs (Managem: <c>GET /seller/imports</c>). The reconciler uses it to find a
/// job whose upload began but whose id was never recorded (a crash mid-upload), so it can wait for that job too.
/// </summary>
public interface IImportJobLister
{
    /// <summary>The seller's recent import jobs, newest first.</summary>
    Task<IReadOnlyList<ImportJobStatus>> ListImportsAsync(SellerScope seller, CancellationToken cancellationToken = default);
}
