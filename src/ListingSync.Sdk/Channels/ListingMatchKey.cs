using ListingSync.Sdk.Model;

namespace ListingSync.Sdk.Channels;

/// <summary>
/// A way to recognise, on a channel, a listing that carries no host reference (one that existed before the
/// integration, or was created by hand): the reconciler adopts such a listing instead of creating a second one. A
/// channel states its keys in <see cref="IListingChannel.MatchKeys"/>, most trusted first; the host reference stored on
/// a listing always comes before any of them.
/// </summary>
public sealed class ListingMatchKey
{
    private readonly Func<ItemIdentity, ListingCondition, string, string?> _key;

    /// <summary>Creates a key.</summary>
    /// <param name="name">A short name shown in plans, e.g. <c>SKU</c>.</param>
    /// <param name="key">
    /// The key of a listing or draft from its item identity, condition and language; null when the item has none
    /// (it is then not matched by this key). Two listings with equal keys are the same product on the channel.
    /// </param>
    public ListingMatchKey(string name, Func<ItemIdentity, ListingCondition, string, string?> key)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        Name = name;
        _key = key ?? throw new ArgumentNullException(nameof(key));
    }

    /// <summary>The key's name, e.g. <c>SKU</c>.</summary>
    public string Name { get; }

    /// <summary>Managem's identity: catalogue URN plus condition plus language (seed 000: one listing per item, condition and language).</summary>
    public static ListingMatchKey UrnConditionLanguage { get; } = new("URN, condition, language", static (item, condition, language) =>
        string.IsNullOrWhiteSpace(item.Urn) ? null : string.Concat(item.Urn, "\u001f", condition.Code, "\u001f", language));

    /// <summary>The seller's stock-keeping unit: one listing per SKU (JTL offers, Instica items, Shopiro listings).</summary>
    public static ListingMatchKey Sku { get; } = new("SKU", static (item, _, _) => string.IsNullOrWhiteSpace(item.Sku) ? null : item.Sku.Trim());

    /// <summary>GTIN / EAN / UPC plus condition (a used and a new copy of one product are two listings).</summary>
    public static ListingMatchKey GtinCondition { get; } = new("GTIN, condition", static (item, condition, _) =>
        string.IsNullOrWhiteSpace(item.Gtin) ? null : string.Concat(item.Gtin.Trim(), "\u001f", condition.Code));

    /// <summary>The key of a listing on the channel, or null.</summary>
    public string? Of(Listing listing)
    {
        ArgumentNullException.ThrowIfNull(listing);
        return _key(listing.Item, listing.Condition, listing.Language);
    }

    /// <summary>The key of a host draft, or null.</summary>
    public string? Of(ListingDraft draft)
    {
        ArgumentNullException.ThrowIfNull(draft);
        return _key(draft.Item, draft.Condition, draft.Language);
    }

    /// <inheritdoc />
    public override string ToString() => Name;
}
