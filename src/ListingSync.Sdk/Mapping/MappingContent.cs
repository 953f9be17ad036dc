namespace ListingSync.Sdk.Mapping;

/// <summary>Compares mappings by content, ignoring the store's version, so a repeated write is recognised.</summary>
internal static class MappingContent
{
    public static bool Same(ListingMapping a, ListingMapping b) =>
        a.Scope == b.Scope
        && a.Reference == b.Reference
        && a.ListingId == b.ListingId
        && Equals(a.Item, b.Item)
        && SameState(a.State, b.State)
        && a.RemoteUpdatedAt == b.RemoteUpdatedAt
        && a.RemoteVersion == b.RemoteVersion
        && a.IsActive == b.IsActive
        && a.NeedsReview == b.NeedsReview;

    public static bool SameState(ListingState? a, ListingState? b) =>
        ReferenceEquals(a, b)
        || (a is not null && b is not null
            && a.Price == b.Price && a.Quantity == b.Quantity && a.Available == b.Available && a.Visibility == b.Visibility
            && a.Condition == b.Condition && a.Language == b.Language && a.ContentHash == b.ContentHash
            && a.Variants.SequenceEqual(b.Variants, StringComparer.Ordinal));
}
