namespace ListingSync.Sdk.Reconciliation;

/// <summary>A difference between what the mapping last knew and what the marketplace now has: a change made outside this sync.</summary>
/// <param name="Reference">The host reference.</param>
/// <param name="ListingId">The listing (null when it disappeared).</param>
/// <param name="Fields">The fields that changed on the marketplace.</param>
/// <param name="Description">What happened, in words.</param>
public sealed record DriftEntry(string Reference, string? ListingId, ListingFields Fields, string Description);
