using ListingSync.Sdk.Model;

namespace ListingSync.Sdk.Channels;

/// <summary>
/// An <see cref="IImportJobChannel"/> whose jobs hold items for the seller to settle (Instica: conflicts such as a SKU
/// that matches an existing item, and failed items): resolve one conflict, retry every failed item, skip every
/// remaining conflict. <c>ImportJobRunner</c> exposes these; a channel without them throws <see cref="NotSupportedException"/> there.
/// </summary>
public interface IImportJobIssueResolution
{
    /// <summary>Resolves one conflicting item; <paramref name="resolution"/> is the channel's word for how (null: its default).</summary>
    Task<ImportJobStatus> ResolveConflictAsync(SellerScope seller, string jobId, string itemId, string? resolution = null, CancellationToken cancellationToken = default);

    /// <summary>Processes every failed item again.</summary>
    Task<ImportJobStatus> RetryFailedAsync(SellerScope seller, string jobId, CancellationToken cancellationToken = default);

    /// <summary>Skips every conflicting item not yet resolved.</summary>
    Task<ImportJobStatus> SkipAllConflictsAsync(SellerScope seller, string jobId, CancellationToken cancellationToken = default);
}
