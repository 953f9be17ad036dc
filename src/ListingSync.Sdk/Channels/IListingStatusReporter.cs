using ListingSync.Sdk.Model;

namespace ListingSync.Sdk.Channels;

/// <summary>
/// A channel where the host is the marketplace and reports each listing's progress back to the seller
/// (JTL Channel API: in progress, listed, failed). Needs <see cref="ChannelCapabilities.StatusReports"/>.
/// </summary>
public interface IListingStatusReporter
{
    /// <summary>Sends status reports, batched per status; one result per report, in input order.</summary>
    Task<IReadOnlyList<ListingWriteResult>> ReportStatusAsync(SellerScope seller, IReadOnlyList<ListingStatusReport> reports, CancellationToken cancellationToken = default);
}
