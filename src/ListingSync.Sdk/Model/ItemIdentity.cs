namespace ListingSync.Sdk.Model;

/// <summary>
/// What a listing sells, as every channel can name it: a Managem URN, external catalogue ids
/// (Cardmarket, TCGplayer), game + set + name (+ number), or SKU / GTIN for general-merchandise channels.
/// Any subset may be known; <see cref="BestKind"/> tells which one a resolver should trust first.
/// </summary>
public sealed record ItemIdentity
{
    /// <summary>The marketplace's catalogue URN, e.g. <c>urn:managem:pokemon:set/151/card/25</c>.</summary>
    public string? Urn { get; init; }

    /// <summary>Cardmarket product id.</summary>
    public long? CardmarketId { get; init; }

    /// <summary>TCGplayer product id.</summary>
    public long? TcgplayerId { get; init; }

    /// <summary>Game name as the marketplace knows it, e.g. <c>Pokemon</c>.</summary>
    public string? Game { get; init; }

    /// <summary>Set name, e.g. <c>Base Set</c>.</summary>
    public string? Set { get; init; }

    /// <summary>Card or product name, e.g. <c>Pikachu</c>.</summary>
    public string? Name { get; init; }

    /// <summary>Collector number within the set, e.g. <c>58</c>.</summary>
    public string? Number { get; init; }

    /// <summary>Stock-keeping unit (general-merchandise channels).</summary>
    public string? Sku { get; init; }

    /// <summary>GTIN / EAN / UPC (general-merchandise channels).</summary>
    public string? Gtin { get; init; }

    /// <summary>Creates an identity from a URN alone.</summary>
    public static ItemIdentity FromUrn(string urn) => new() { Urn = urn };

    /// <summary>
    /// The most deterministic identifier present, in the order URN, Cardmarket id, TCGplayer id,
    /// game + set + name, SKU, GTIN; <see cref="ItemIdentityKind.None"/> when nothing usable is known.
    /// </summary>
    public ItemIdentityKind BestKind =>
        !string.IsNullOrWhiteSpace(Urn) ? ItemIdentityKind.Urn
        : CardmarketId is not null ? ItemIdentityKind.CardmarketId
        : TcgplayerId is not null ? ItemIdentityKind.TcgplayerId
        : HasGameSetName ? ItemIdentityKind.GameSetName
        : !string.IsNullOrWhiteSpace(Sku) ? ItemIdentityKind.Sku
        : !string.IsNullOrWhiteSpace(Gtin) ? ItemIdentityKind.Gtin
        : ItemIdentityKind.None;

    /// <summary>True when game, set and name are all present.</summary>
    public bool HasGameSetName =>
        !string.IsNullOrWhiteSpace(Game) && !string.IsNullOrWhiteSpace(Set) && !string.IsNullOrWhiteSpace(Name);
}
