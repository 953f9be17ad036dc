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
    Task<IReadOnlyList<ListingWriteResult>> ImportListingsAsync(SellerScope seller, IReadOnlyList<ListingDraft> drafts, IProgress<ImportJobProgress>? progress = null, CancellationToken cancellationToken = default);
}
