using ListingSync.Sdk.Model;

namespace ListingSync.Sdk.Mapping;

/// <summary>The partition every mapping lives in: one seller on one channel.</summary>
/// <param name="Channel">The channel name, e.g. <c>managem</c>.</param>
/// <param name="Seller">The seller.</param>
public readonly record struct MappingScope(string Channel, SellerScope Seller)
{
    /// <inheritdoc />
    public override string ToString() => $"{Channel}/{Seller}";
}
