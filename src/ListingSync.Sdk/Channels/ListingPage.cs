namespace ListingSync.Sdk.Channels;

/// <summary>One page of a paged collection, with an opaque token to resume after it.</summary>
/// <typeparam name="T">The item type.</typeparam>
public sealed record ListingPage<T>
{
    /// <summary>The items on this page.</summary>
    public required IReadOnlyList<T> Items { get; init; }

    /// <summary>The total the marketplace reports, when it does.</summary>
    public long? Total { get; init; }

    /// <summary>Pass to the next call to get the following page; null on the last page. Opaque: store it, don't parse it.</summary>
    public string? ContinuationToken { get; init; }
}
