namespace ListingSync.Sdk.Channels.Managem;

/// <summary>Whether the connected user is a seller (<c>GET /seller/status</c>; the path is inferred, see docs/channels/managem.md).</summary>
public sealed record ManagemSellerStatus
{
    /// <summary>The seller id, when the user has a seller account.</summary>
    public string? SellerId { get; init; }

    /// <summary>The seller status as Managem spells it (e.g. <c>ACTIVE</c>, <c>PENDING</c>).</summary>
    public string? Status { get; init; }

    /// <summary>True when the seller can accept charges.</summary>
    public bool ChargesEnabled { get; init; }

    /// <summary>True when the seller can receive payouts.</summary>
    public bool PayoutsEnabled { get; init; }

    /// <summary>True when the account can sell: a seller id is present and charges are enabled.</summary>
    public bool CanSell => !string.IsNullOrEmpty(SellerId) && ChargesEnabled;
}
