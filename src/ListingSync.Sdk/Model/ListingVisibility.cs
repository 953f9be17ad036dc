namespace ListingSync.Sdk.Model;

/// <summary>Whether buyers can see a listing.</summary>
public enum ListingVisibility
{
    /// <summary>Shown to buyers.</summary>
    Visible = 0,

    /// <summary>Hidden from buyers (Managem <c>hidden: true</c>).</summary>
    Hidden = 1,
}
