using System.Text.Json;
using ListingSync.Sdk.Model;

namespace ListingSync.Sdk.Channels.Instica;

/// <summary>Products (<c>/api/v1/products/</c>): catalogue entries owning inventory items.</summary>
public class InsticaProductsClient
{
    private readonly InsticaClient _client = null!;

    internal InsticaProductsClient(InsticaClient client) => _client = client;

    /// <summary>For mocking frameworks and test doubles only.</summary>
    protected InsticaProductsClient()
    {
    }

    /// <summary>One page (1-based) of products, with the reference's search, ordering and page size (≤ 100).</summary>
    public virtual async Task<InsticaPage<InsticaProduct>> GetPageAsync(SellerScope seller, string? search = null, string? ordering = null, int page = 1, int pageSize = 100, CancellationToken cancellationToken = default)
    {
        InsticaClient.CheckPageSize(pageSize);

        var path = "api/v1/products/" + InsticaClient.Query(("search", search), ("ordering", ordering), ("page", InsticaClient.Number(page)), ("page_size", InsticaClient.Number(pageSize)));
        var root = await _client.GetJsonAsync(seller, path, "products.list", $"products page {page}", cancellationToken).ConfigureAwait(false);
        return InsticaClient.ReadPage(root, page, InsticaJson.Default.InsticaProduct, "products.list", $"products page {page}");
    }

    /// <summary>One product by uid; null when none.</summary>
    public virtual async Task<InsticaProduct?> GetAsync(SellerScope seller, string uid, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(uid);
        var root = await _client.GetJsonAsync(seller, "api/v1/products/" + InsticaClient.Escape(uid) + "/", "products.get", $"product {uid}", cancellationToken, notFoundIsNull: true).ConfigureAwait(false);
        return root.ValueKind == JsonValueKind.Undefined ? null : InsticaClient.Read(root, InsticaJson.Default.InsticaProduct, "products.get", $"product {uid}");
    }
}
