namespace ListingSync.Sdk.Channels.Managem;

/// <summary>The seller's account (<c>GET /seller</c>).</summary>
public sealed record ManagemSellerAccount
{
    /// <summary>Seller account id.</summary>
    public string Id { get; init; } = "";

    /// <summary>Contact email.</summary>
    public string? Email { get; init; }

    /// <summary>Two-letter ISO country code.</summary>
    public string? Country { get; init; }

    /// <summary>ISO 4217 default currency (prices are in its minor units).</summary>
    public string? DefaultCurrency { get; init; }

    /// <summary>True once onboarding is complete.</summary>
    public bool DetailsSubmitted { get; init; }

    /// <summary>True when the seller can accept charges.</summary>
    public bool ChargesEnabled { get; init; }

    /// <summary>True when the seller can receive payouts.</summary>
    public bool PayoutsEnabled { get; init; }
}
