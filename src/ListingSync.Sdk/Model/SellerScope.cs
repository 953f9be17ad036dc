namespace ListingSync.Sdk.Model;

/// <summary>
/// Identifies the seller (marketplace account) a call acts for. Credentials, rate limits and
/// mappings are all kept per seller, so one client can serve many sellers at once.
/// </summary>
public readonly record struct SellerScope
{
    /// <summary>The seller used when a host serves a single account.</summary>
    public static SellerScope Default { get; } = new("default");

    /// <summary>Creates a scope for <paramref name="sellerId"/>.</summary>
    /// <param name="sellerId">The host's identifier of the seller; not empty, at most 200 characters.</param>
    /// <exception cref="ArgumentException">The identifier is empty, white space or longer than 200 characters.</exception>
    public SellerScope(string sellerId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(sellerId);
        if (sellerId.Length > 200)
        {
            throw new ArgumentException("A seller id has at most 200 characters.", nameof(sellerId));
        }

        SellerId = sellerId;
    }

    /// <summary>The host's identifier of the seller.</summary>
    public string SellerId { get; }

    /// <inheritdoc />
    public override string ToString() => SellerId ?? "default";
}
