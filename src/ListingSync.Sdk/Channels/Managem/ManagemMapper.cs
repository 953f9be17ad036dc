using ListingSync.Sdk.Channels.Managem.Wire;
using ListingSync.Sdk.Model;
using ListingSync.Sdk.Validation;

namespace ListingSync.Sdk.Channels.Managem;

/// <summary>Converts between Managem's wire shapes (minor units, flags) and the canonical model.</summary>
internal static class ManagemMapper
{
    private static readonly decimal[] Scales = [1m, 10m, 100m, 1000m, 10000m];

    // Any amount up to this fits in a long at every supported scale (10^4).
    private const decimal MaxWholeMinor = long.MaxValue / 10_000;

    public static long ToMinorUnits(decimal amount, int decimals) => (long)(amount * Scales[decimals]);

    public static decimal FromMinorUnits(long minor, int decimals) => minor / Scales[decimals];

    /// <summary>The largest amount whose minor units fit Managem's 64-bit price.</summary>
    public static decimal MaxAmount(int decimals) => long.MaxValue / Scales[decimals];

    /// <summary>True when <paramref name="amount"/> is a whole number of minor units (and fits 64 bits of them).</summary>
    public static bool FitsMinorUnits(decimal amount, int decimals)
    {
        if (amount > MaxAmount(decimals))
        {
            return false; // would overflow the multiplication below
        }

        if (amount.Scale <= decimals && amount <= MaxWholeMinor)
        {
            return true; // no more decimal places than minor units: nothing to check
        }

        var scaled = amount * Scales[decimals];
        return scaled == decimal.Truncate(scaled) && scaled <= long.MaxValue;
    }

    public static ManagemItem ToItem(WireItem wire) => new()
    {
        Urn = wire.Urn ?? string.Empty,
        Type = wire.Type,
        Game = wire.Game,
        Name = wire.Name,
        Title = wire.Title,
        SetName = wire.Set?.Name,
        SetUrn = wire.Set?.Urn,
        Number = wire.Number,
        Rarity = wire.Rarity,
        CardmarketId = wire.CardmarketId,
        TcgplayerId = wire.TcgplayerId,
    };

    /// <summary>The write body of a draft; <paramref name="includeUrn"/> is false for updates (the URN cannot change).</summary>
    public static WireListingWrite ToWrite(ListingDraft draft, int decimals, bool includeUrn) => new()
    {
        Urn = includeUrn ? draft.Item.Urn : null,
        Condition = draft.Condition.Code,
        Price = ToMinorUnits(draft.Price.Amount, decimals),
        Language = draft.Language,
        Quantity = draft.Quantity,
        Variants = [.. draft.Variants],
        Comment = draft.Comment,
        GradingProvider = draft.Grading?.Provider,
        GradingScore = draft.Grading?.Score,
        GradingNumber = draft.Grading?.CertificateNumber,
        Hidden = draft.Visibility == ListingVisibility.Hidden,
        Notes = draft.Notes,
        Reference = ListingDraftValidator.NormalizeReference(draft.Reference),
    };
}
