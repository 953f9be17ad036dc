using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using ListingSync.Sdk.Model;

namespace ListingSync.Sdk.Reconciliation;

/// <summary>Compares the rich fields of the canonical model by value, and hashes them for a mapping's last known state.</summary>
internal static class ListingContent
{
    public static bool SameText(IReadOnlyDictionary<string, string> a, IReadOnlyDictionary<string, string> b)
    {
        if (a.Count != b.Count)
        {
            return false;
        }

        foreach (var (key, value) in a)
        {
            if (!b.TryGetValue(key, out var other) || !string.Equals(value, other, StringComparison.Ordinal))
            {
                return false;
            }
        }

        return true;
    }

    public static bool SameQuantities(IReadOnlyDictionary<string, int> a, IReadOnlyDictionary<string, int> b) =>
        a.Count == b.Count && a.All(p => b.TryGetValue(p.Key, out var other) && other == p.Value);

    public static bool SameList<T>(IReadOnlyList<T> a, IReadOnlyList<T> b) => a.Count == b.Count && a.SequenceEqual(b);

    public static bool SameVariations(IReadOnlyList<ListingVariation> a, IReadOnlyList<ListingVariation> b)
    {
        if (a.Count != b.Count)
        {
            return false;
        }

        for (var i = 0; i < a.Count; i++)
        {
            var (x, y) = (a[i], b[i]);
            if (!string.Equals(x.Sku, y.Sku, StringComparison.Ordinal) || !string.Equals(x.Gtin, y.Gtin, StringComparison.Ordinal) || x.Quantity != y.Quantity
                || x.Price != y.Price || !SameList(x.Attributes, y.Attributes) || !SameText(x.Titles, y.Titles) || !SameList(x.PictureIndexes, y.PictureIndexes))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>True when the listing carries none of the rich fields (every trading-card listing): nothing to compare or hash.</summary>
    public static bool IsEmpty(IReadOnlyDictionary<string, string> titles, IReadOnlyDictionary<string, string> descriptions, string? category, IReadOnlyList<ListingAttribute> attributes, IReadOnlyList<ListingPicture> pictures, IReadOnlyList<ListingVariation> variations, PackageDimensions? package, IReadOnlyDictionary<string, int> locations) =>
        titles.Count + descriptions.Count + attributes.Count + pictures.Count + variations.Count + locations.Count == 0 && category is null && package is null;

    /// <summary>
    /// A stable hash of the rich content fields (the same across processes and runs), or null when there are none. Stock
    /// per location is not content: it is compared as a quantity, and only where the host gives a split.
    /// </summary>
    public static string? Hash(Listing listing) =>
        IsEmpty(listing.Titles, listing.Descriptions, listing.Category, listing.Attributes, listing.Pictures, listing.Variations, listing.Package, NoLocations)
            ? null
            : Hash(listing.Titles, listing.Descriptions, listing.Category, listing.Attributes, listing.Pictures, listing.Variations, listing.Package, NoLocations);

    /// <inheritdoc cref="Hash(Listing)"/>
    public static string? Hash(ListingDraft draft) =>
        IsEmpty(draft.Titles, draft.Descriptions, draft.Category, draft.Attributes, draft.Pictures, draft.Variations, draft.Package, NoLocations)
            ? null
            : Hash(draft.Titles, draft.Descriptions, draft.Category, draft.Attributes, draft.Pictures, draft.Variations, draft.Package, NoLocations);

    private static readonly IReadOnlyDictionary<string, int> NoLocations = new Dictionary<string, int>();

    private static string Hash(IReadOnlyDictionary<string, string> titles, IReadOnlyDictionary<string, string> descriptions, string? category, IReadOnlyList<ListingAttribute> attributes, IReadOnlyList<ListingPicture> pictures, IReadOnlyList<ListingVariation> variations, PackageDimensions? package, IReadOnlyDictionary<string, int> locations)
    {
        var text = new StringBuilder();
        void Field(string? value) => text.Append(value?.Length ?? -1).Append(':').Append(value).Append('|'); // length-prefixed: no separator ambiguity
        foreach (var map in new[] { titles, descriptions })
        {
            foreach (var (key, value) in map.OrderBy(p => p.Key, StringComparer.Ordinal))
            {
                Field(key);
                Field(value);
            }

            text.Append('#');
        }

        Field(category);
        foreach (var a in attributes)
        {
            Field(a.Name);
            Field(a.Value);
            Field(a.Group);
        }

        text.Append('#');
        foreach (var p in pictures)
        {
            Field(p.Url);
            Field(p.Title);
        }

        text.Append('#');
        foreach (var v in variations)
        {
            Field(v.Sku);
            Field(v.Gtin);
            Field(v.Quantity.ToString(CultureInfo.InvariantCulture));
            Field(v.Price?.ToString());
            foreach (var a in v.Attributes)
            {
                Field(a.Name);
                Field(a.Value);
                Field(a.Group);
            }

            foreach (var (key, value) in v.Titles.OrderBy(p => p.Key, StringComparer.Ordinal))
            {
                Field(key);
                Field(value);
            }

            Field(string.Join(',', v.PictureIndexes));
        }

        text.Append('#');
        Field(package is null ? null : string.Create(CultureInfo.InvariantCulture, $"{package.Length}x{package.Width}x{package.Height}{package.LengthUnit},{package.Weight}{package.WeightUnit}"));
        foreach (var (location, units) in locations.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            Field(location);
            Field(units.ToString(CultureInfo.InvariantCulture));
        }

        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())).AsSpan(0, 16));
    }
}
