namespace ListingSync.Sdk.Reconciliation;

/// <summary>The listing fields sync compares and writes. The host owns some or all of them (<see cref="ReconcilerOptions.OwnedFields"/>).</summary>
[Flags]
public enum ListingFields
{
    /// <summary>None.</summary>
    None = 0,

    /// <summary>Price (amount and currency).</summary>
    Price = 1 << 0,

    /// <summary>Quantity listed.</summary>
    Quantity = 1 << 1,

    /// <summary>Visible or hidden.</summary>
    Visibility = 1 << 2,

    /// <summary>Condition.</summary>
    Condition = 1 << 3,

    /// <summary>Language.</summary>
    Language = 1 << 4,

    /// <summary>Variants.</summary>
    Variants = 1 << 5,

    /// <summary>Comment shown to buyers.</summary>
    Comment = 1 << 6,

    /// <summary>Private notes.</summary>
    Notes = 1 << 7,

    /// <summary>Every field.</summary>
    All = Price | Quantity | Visibility | Condition | Language | Variants | Comment | Notes,
}
