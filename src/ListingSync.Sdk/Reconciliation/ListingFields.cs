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

    /// <summary>Titles per language.</summary>
    Titles = 1 << 8,

    /// <summary>Descriptions per language.</summary>
    Descriptions = 1 << 9,

    /// <summary>Category.</summary>
    Category = 1 << 10,

    /// <summary>Attributes (name, value, group).</summary>
    Attributes = 1 << 11,

    /// <summary>Pictures.</summary>
    Pictures = 1 << 12,

    /// <summary>Variations (their SKUs, attributes, stock and prices).</summary>
    Variations = 1 << 13,

    /// <summary>Shipping size and weight.</summary>
    Package = 1 << 14,

    /// <summary>Quantity per stock location.</summary>
    QuantityByLocation = 1 << 15,

    /// <summary>The descriptive content: titles, descriptions, category, attributes, pictures, variations, package.</summary>
    Content = Titles | Descriptions | Category | Attributes | Pictures | Variations | Package,

    /// <summary>Every field.</summary>
    All = Price | Quantity | Visibility | Condition | Language | Variants | Comment | Notes | Content | QuantityByLocation,
}
