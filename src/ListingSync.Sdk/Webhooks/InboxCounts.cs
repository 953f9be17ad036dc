namespace ListingSync.Sdk.Webhooks;

/// <summary>What an inbox has seen, for tests and operations.</summary>
/// <param name="Accepted">Events accepted (duplicates excluded) since the inbox started, or in the durable store.</param>
/// <param name="Handled">Events whose handlers all succeeded.</param>
/// <param name="Pending">Events accepted and not yet handled (queued, in progress, waiting to be retried).</param>
/// <param name="DeadLettered">Events whose handlers failed on every attempt.</param>
/// <param name="Duplicates">Deliveries dropped as duplicates of an accepted event.</param>
public readonly record struct InboxCounts(long Accepted, long Handled, long Pending, long DeadLettered, long Duplicates);
