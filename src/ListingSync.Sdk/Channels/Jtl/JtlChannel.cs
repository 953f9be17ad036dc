using ListingSync.Sdk.Model;

namespace ListingSync.Sdk.Channels.Jtl;

/// <summary>
/// JTL behind the SDK's abstractions. The direction is reversed — sellers' ERPs push offers to the host, which is the
/// channel — so JTL is an <see cref="IChannel"/> but not an <see cref="IListingChannel"/> (nothing is listed *on* JTL): offers arrive as
/// <c>ListingEvent</c>s through <see cref="JtlEventPoller"/>, outcomes go back through this
/// <see cref="IListingStatusReporter"/>, and stock follows through <see cref="JtlStockFollower"/>.
/// </summary>
public sealed class JtlChannel : IChannel, IListingStatusReporter
{
    private readonly JtlClient _client;

    /// <summary>Creates the channel over <paramref name="client"/>.</summary>
    public JtlChannel(JtlClient client) => _client = client ?? throw new ArgumentNullException(nameof(client));

    /// <inheritdoc />
    public string Name => JtlClientOptions.ChannelName;

    /// <inheritdoc />
    public ChannelCapabilities Capabilities => ChannelCapabilities.PulledEvents | ChannelCapabilities.StatusReports | ChannelCapabilities.StockCursor;

    /// <inheritdoc />
    public Task<IReadOnlyList<ListingWriteResult>> ReportStatusAsync(SellerScope seller, IReadOnlyList<ListingStatusReport> reports, CancellationToken cancellationToken = default) =>
        _client.ReportStatusAsync(seller, reports, cancellationToken);
}
