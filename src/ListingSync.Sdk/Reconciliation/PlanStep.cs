using ListingSync.Sdk.Model;

namespace ListingSync.Sdk.Reconciliation;

/// <summary>One step of a <see cref="ReconciliationPlan"/>.</summary>
public sealed record PlanStep
{
    /// <summary>What to do.</summary>
    public required PlanAction Action { get; init; }

    /// <summary>The host reference concerned, when there is one.</summary>
    public string? Reference { get; init; }

    /// <summary>The marketplace listing concerned, when there is one.</summary>
    public string? ListingId { get; init; }

    /// <summary>What the host wants (creates, updates, rejects, unresolved flags). Links carry only <see cref="Remote"/>.</summary>
    public ListingDraft? Desired { get; init; }

    /// <summary>What the marketplace has (updates, links, removes, flags).</summary>
    public Listing? Remote { get; init; }

    /// <summary>For updates: the owned fields that differ.</summary>
    public ListingFields ChangedFields { get; init; }

    /// <summary>Why, in words.</summary>
    public string? Reason { get; init; }

    /// <summary>For rejects: the broken rules.</summary>
    public IReadOnlyList<FieldError> Errors { get; init; } = [];

    /// <summary>For duplicate flags: every listing in the group.</summary>
    public IReadOnlyList<string> RelatedListingIds { get; init; } = [];

    /// <summary>For a create: the version of the product's mapping when the plan was made (0: none), checked before sending.</summary>
    internal long MappingVersion { get; init; }

    /// <summary>
    /// For an update of a mapped listing with no link before it: the mapping when the plan was made. The apply records
    /// the update on top of it without reading it again; if another writer changed it since, the write conflicts and
    /// the mapping is read afresh.
    /// </summary>
    internal Mapping.ListingMapping? Mapping { get; init; }

    /// <summary>For a link of a product whose identity was resolved: the host's identity (external ids), kept in the mapping.</summary>
    internal ItemIdentity? HostItem { get; init; }
}
