using ListingSync.Sdk.Model;

namespace ListingSync.Sdk.Channels.Managem;

/// <summary>A Managem catalogue item (card or sealed product).</summary>
public sealed record ManagemItem
{
    /// <summary>The catalogue URN.</summary>
    public required string Urn { get; init; }

    /// <summary><c>card</c> or <c>product</c>.</summary>
    public string? Type { get; init; }

    /// <summary>Game, e.g. <c>Pokemon</c>.</summary>
    public string? Game { get; init; }

    /// <summary>Name.</summary>
    public string? Name { get; init; }

    /// <summary>Display title.</summary>
    public string? Title { get; init; }

    /// <summary>Set name.</summary>
    public string? SetName { get; init; }

    /// <summary>Set URN.</summary>
    public string? SetUrn { get; init; }

    /// <summary>Collector number.</summary>
    public string? Number { get; init; }

    /// <summary>Rarity.</summary>
    public string? Rarity { get; init; }

    /// <summary>Cardmarket product id, when Managem knows it.</summary>
    public long? CardmarketId { get; init; }

    /// <summary>TCGplayer product id, when Managem knows it.</summary>
    public long? TcgplayerId { get; init; }

    /// <summary>The item as a channel-neutral identity.</summary>
    public ItemIdentity ToIdentity() => new()
    {
        Urn = Urn,
        Game = Game,
        Set = SetName,
        Name = Name,
        Number = Number,
        CardmarketId = CardmarketId,
        TcgplayerId = TcgplayerId,
    };
}
