using ListingSync.Sdk.ImportJobs;
using ListingSync.Sdk.Model;

namespace ListingSync.Sdk.Channels;

/// <summary>
/// A channel that can create many listings through an import job instead of API calls (Managem: a CSV import). The
/// reconciler uses it for creates above <c>ReconcilerOptions.ImportThreshold</c>. Results come back per draft, like
/// <see cref="IListingChannel.CreateListingsAsync"/>: rejected before upload, failed in the job, or succeeded (the id is
/// usually unknown and found afterwards by reference).
/// </summary>
public interface IListingImporter
{
    /// <summary>Imports <paramref name="drafts"/> and waits for the job(s) to finish, reporting progress.</summary>
    /// <param name="seller">The seller.</param>
    /// <param name="drafts">What to create.</param>
    /// <param name="progress">Progress of each job.</param>
    /// <param name="jobStarted">
    /// Called with each job as soon as the marketplace accepted its upload, before the wait: the reconciler records the
    /// job there, so that after a crash or a cancel the next plan waits for it instead of creating its rows again.
    /// </param>
    /// <param name="cancellationToken">Stops the upload or the wait; a job already accepted keeps running on the marketplace.</param>
    Task<IReadOnlyList<ListingWriteResult>> ImportListingsAsync(SellerScope seller, IReadOnlyList<ListingDraft> drafts, IProgress<ImportJobProgress>? progress = null, Func<ImportJobStatus, CancellationToken, ValueTask>? jobStarted = null, CancellationToken cancellationToken = default);
}
