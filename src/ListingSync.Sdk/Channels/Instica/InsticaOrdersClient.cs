using ListingSync.Sdk.Model;

namespace ListingSync.Sdk.Channels.Instica;

/// <summary>Orders from the seller's connected platforms (<c>GET /api/v1/orders/</c>, instica.com/docs/api/orders/).</summary>
public class InsticaOrdersClient
{
    private readonly InsticaClient _client = null!;

    internal InsticaOrdersClient(InsticaClient client) => _client = client;

    /// <summary>For mocking frameworks and test doubles only.</summary>
    protected InsticaOrdersClient()
    {
    }

    /// <summary>
    /// One page (1-based) of orders with the reference's filters: <paramref name="status"/> (<c>awaiting_shipment</c>,
    /// <c>shipped</c>, <c>completed</c> or a platform's own), <paramref name="platform"/> (a slug), <paramref name="ordering"/>
    /// (a field, <c>-</c> for descending, e.g. <c>-created</c>) and a page size of at most 100.
    /// </summary>
    public virtual async Task<InsticaPage<InsticaOrder>> GetPageAsync(SellerScope seller, string? status = null, string? platform = null, string? ordering = null, int page = 1, int pageSize = 100, CancellationToken cancellationToken = default)
    {
        InsticaClient.CheckPageSize(pageSize);
        var path = "api/v1/orders/" + InsticaClient.Query(("status", status), ("platform", platform), ("ordering", ordering), ("page", InsticaClient.Number(page)), ("page_size", InsticaClient.Number(pageSize)));
        var root = await _client.GetJsonAsync(seller, path, "orders.list", $"orders page {page}", cancellationToken).ConfigureAwait(false);
        return InsticaClient.ReadPage(root, page, InsticaJson.Default.InsticaOrder, "orders.list", $"orders page {page}");
    }
}
