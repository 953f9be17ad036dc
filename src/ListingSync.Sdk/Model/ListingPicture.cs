namespace ListingSync.Sdk.Model;

/// <summary>A picture of the listed item, in the order the channel shows them.</summary>
/// <param name="Url">Where the picture is (absolute URL).</param>
/// <param name="Title">A caption, where the channel has one.</param>
public sealed record ListingPicture(string Url, string? Title = null);
