namespace ListingSync.Sdk.Model;

/// <summary>
/// One attribute of a listing as the channels name them (JTL channel and product attributes, Instica record details such
/// as artist or catalogue number, Shopiro properties).
/// </summary>
/// <param name="Name">The attribute's name or key, e.g. <c>artist</c>.</param>
/// <param name="Value">Its value, as text.</param>
/// <param name="Group">The group it belongs to where the channel groups attributes (JTL attribute groups), or null.</param>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1711", Justification = "The marketplaces call these attributes; it is a record, not a System.Attribute.")]
public sealed record ListingAttribute(string Name, string Value, string? Group = null);
