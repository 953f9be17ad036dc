namespace ListingSync.Sdk.Model;

/// <summary>
/// The physical condition of what is listed. An open set: channels accept values the SDK does not
/// know yet, so any non-empty code is allowed; the well-known trading-card grades are provided.
/// </summary>
public readonly record struct ListingCondition
{
    /// <summary>Creates a condition from its channel code, e.g. <c>NM</c>.</summary>
    /// <exception cref="ArgumentException">The code is empty or white space.</exception>
    public ListingCondition(string code)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(code);
        Code = code;
    }

    /// <summary>The channel code.</summary>
    public string Code { get; }

    /// <summary>Mint.</summary>
    public static ListingCondition Mint { get; } = new("MT");

    /// <summary>Near mint.</summary>
    public static ListingCondition NearMint { get; } = new("NM");

    /// <summary>Lightly played.</summary>
    public static ListingCondition LightlyPlayed { get; } = new("LP");

    /// <summary>Moderately played.</summary>
    public static ListingCondition ModeratelyPlayed { get; } = new("MP");

    /// <summary>Heavily played.</summary>
    public static ListingCondition HeavilyPlayed { get; } = new("HP");

    /// <summary>Damaged.</summary>
    public static ListingCondition Damaged { get; } = new("DMG");

    /// <summary>New (general merchandise).</summary>
    public static ListingCondition New { get; } = new("NEW");

    /// <inheritdoc />
    public override string ToString() => Code ?? string.Empty;
}
