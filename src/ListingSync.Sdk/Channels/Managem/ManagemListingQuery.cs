using System.Text.Json;

namespace ListingSync.Sdk.Channels.Managem;

/// <summary>What to search among the seller's listings (<c>POST /seller/listings/search</c>).</summary>
public sealed record ManagemListingQuery
{
    /// <summary>Free-text terms.</summary>
    public string? Query { get; init; }

    /// <summary>Filters, passed through as JSON (their shape is Managem's).</summary>
    public IReadOnlyList<JsonElement>? Filters { get; init; }

    /// <summary>Facet refinements, e.g. <c>Game: [Pokemon]</c>, <c>Hidden: [Hidden]</c>.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>>? Facets { get; init; }

    /// <summary>Sort field, e.g. <c>name</c>, <c>price</c>, <c>createdAt</c>.</summary>
    public string? SortField { get; init; }

    /// <summary>Sort descending instead of ascending.</summary>
    public bool SortDescending { get; init; }

    /// <summary>Listings per page, 1 to 50. Default 50 (fewest calls).</summary>
    public int PageSize { get; init; } = 50;

    /// <summary>Every listing, 50 per page.</summary>
    public static ManagemListingQuery All { get; } = new();
}
