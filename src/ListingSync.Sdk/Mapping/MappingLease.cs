namespace ListingSync.Sdk.Mapping;

/// <summary>
/// The right to write one (channel, seller)'s mappings for a while: one applier at a time holds it. <see cref="Token"/>
/// is a fencing token, larger for every new holder; a write that carries it (<see cref="ListingMapping.LeaseToken"/>)
/// is refused once the lease expired or passed to someone else, so a paused or partitioned holder cannot write late.
/// </summary>
/// <param name="Scope">Channel and seller.</param>
/// <param name="Holder">Who holds it, e.g. <c>host-a/4711/apply</c>: named in the error another applier gets.</param>
/// <param name="Token">The fencing token: strictly increasing per scope.</param>
/// <param name="AcquiredAt">When this holder took it (by the store's clock).</param>
/// <param name="ExpiresAt">When it lapses unless renewed.</param>
public sealed record MappingLease(MappingScope Scope, string Holder, long Token, DateTimeOffset AcquiredAt, DateTimeOffset ExpiresAt);
