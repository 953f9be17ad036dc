namespace ListingSync.Sdk.Reconciliation;

/// <summary>What a plan step does.</summary>
public enum PlanAction
{
    /// <summary>Create the listing on the marketplace.</summary>
    Create = 0,

    /// <summary>Change the fields named in <see cref="PlanStep.ChangedFields"/>.</summary>
    Update = 1,

    /// <summary>Delete or delist the listing.</summary>
    Remove = 2,

    /// <summary>Adopt an existing listing (matched by reference or identity) into the mapping, so nothing is created twice.</summary>
    Link = 3,

    /// <summary>Listings that look like duplicates (game, set name, number, price, quantity, condition).</summary>
    FlagDuplicate = 4,

    /// <summary>A host item whose identity could not be resolved: nothing is sent; review it.</summary>
    FlagUnresolved = 5,

    /// <summary>A listing on the marketplace the host does not know, reported under <see cref="UnknownRemotePolicy.Report"/>.</summary>
    FlagUnknown = 6,

    /// <summary>Bad input: reported with its field errors and never sent.</summary>
    Reject = 7,

    /// <summary>
    /// Creating this product could duplicate it: its mapped listing could not be read, or an earlier create's outcome
    /// is unknown on a channel that cannot list. Nothing is sent; a later plan decides once the listing can be seen.
    /// </summary>
    FlagUncertain = 8,
}
