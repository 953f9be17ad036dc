using ListingSync.Sdk.Model;

namespace ListingSync.Sdk.Mapping;

/// <summary>
/// Which marketplace listing is which host product, for one seller on one channel: host reference ⇄
/// listing id ⇄ item identity, with the last known state. Unique per (scope, reference) and per (scope, listing id).
/// </summary>
public sealed record ListingMapping
{
    /// <summary>Seller and channel.</summary>
    public required MappingScope Scope { get; init; }

    /// <summary>The host's reference.</summary>
    public required string Reference { get; init; }

    /// <summary>The marketplace listing id; null while a create is pending.</summary>
    public string? ListingId { get; init; }

    /// <summary>The resolved item identity.</summary>
    public ItemIdentity? Item { get; init; }

    /// <summary>Last known state on the marketplace.</summary>
    public ListingState? State { get; init; }

    /// <summary>The marketplace's <c>updatedAt</c> for <see cref="State"/>; events older than this are stale.</summary>
    public DateTimeOffset? RemoteUpdatedAt { get; init; }

    /// <summary>The marketplace's version for <see cref="State"/>, where it has one.</summary>
    public string? RemoteVersion { get; init; }

    /// <summary>False once the listing was deleted or delisted.</summary>
    public bool IsActive { get; init; } = true;

    /// <summary>Why a person should look at this mapping (unresolved identity, duplicate), or null.</summary>
    public string? NeedsReview { get; init; }

    /// <summary>The store's concurrency token: 0 for a new record; pass it back unchanged to update.</summary>
    public long Version { get; init; }

    /// <summary>
    /// For a write: the fencing token of the lease it is made under (<see cref="MappingLease.Token"/>). The store refuses
    /// the write with <see cref="MappingLeaseLostException"/> unless that lease is the scope's current, unexpired one.
    /// Null (default): the write is not fenced (event handlers, hosts' own writes). Not stored; null when read back.
    /// </summary>
    public long? LeaseToken { get; init; }

    private bool PrintMembers(System.Text.StringBuilder builder) => ListingSync.Sdk.Model.ModelText.PrintMembers(this, builder);
}
