using ListingSync.Sdk.Model;

namespace ListingSync.Sdk.Channels;

/// <summary>
/// A channel's own rules for drafts (currency, minor-unit precision, price range, identity format), beyond the
/// channel-neutral ones. The reconciler checks them when it plans, so a draft the channel would refuse becomes a
/// <c>Reject</c> step naming the field and the rule, and is never sent, retried or allowed to stop an apply.
/// </summary>
public interface IListingDraftRules
{
    /// <summary>Every rule <paramref name="draft"/> breaks for a create (<paramref name="forCreate"/>) or an update; empty when valid.</summary>
    IReadOnlyList<FieldError> ValidateDraft(ListingDraft draft, bool forCreate);
}
