using ListingSync.Sdk.Model;
using ListingSync.Sdk.Reconciliation;

namespace ListingSync.Sdk.MultiChannel;

/// <summary>
/// How one channel receives the host's inventory in a multi-channel sync: which products go there, at what price,
/// with how many units held back, which fields the host owns there, and the channel's own reconciler options.
/// </summary>
public sealed record ChannelPolicy
{
    /// <summary>The products that go to this channel; null: all of them.</summary>
    public Func<ListingDraft, bool>? Include { get; init; }

    /// <summary>The price on this channel from the host's price. Default: the host's price.</summary>
    public PriceRule Price { get; init; } = PriceRule.Same;

    /// <summary>Units held back from this channel. Default: none.</summary>
    public QuantityBuffer Quantity { get; init; } = QuantityBuffer.None;

    /// <summary>The fields the host owns on this channel (the others are the channel's). Default: all.</summary>
    public ListingFields OwnedFields { get; init; } = ListingFields.All;

    /// <summary>Any further shaping for the channel (titles per language, a SKU scheme), after price and quantity.</summary>
    public Func<ListingDraft, ListingDraft>? Adapt { get; init; }

    /// <summary>The reconciler options for this channel (concurrency, batch sizes, lease); null: the defaults.</summary>
    public ReconcilerOptions? Options { get; init; }

    /// <summary>The draft as this channel gets it, or null when the product does not go there.</summary>
    public ListingDraft? Shape(ListingDraft draft)
    {
        ArgumentNullException.ThrowIfNull(draft);
        if (Include is { } include && !include(draft))
        {
            return null;
        }

        var shaped = draft with { Price = Price.Apply(draft), Quantity = Quantity.Apply(draft.Quantity) };
        return Adapt is { } adapt ? adapt(shaped) : shaped;
    }
}

/// <summary>A channel's price from the host's: a markup, an amount added, rounding to a step and an ending, or a fixed price.</summary>
public sealed record PriceRule
{
    /// <summary>The host's price, unchanged.</summary>
    public static PriceRule Same { get; } = new();

    /// <summary>Multiplies the host's amount (1.10 = a 10 % markup). Default 1.</summary>
    public decimal Multiplier { get; init; } = 1m;

    /// <summary>Added after the multiplier (a channel's fee). Default 0.</summary>
    public decimal Add { get; init; }

    /// <summary>Rounds up to a multiple of this (e.g. 0.5, 1); null: to the currency's cents.</summary>
    public decimal? RoundUpTo { get; init; }

    /// <summary>The cents a price ends in (e.g. 0.99: 12.40 becomes 12.99); null: as computed.</summary>
    public decimal? Ending { get; init; }

    /// <summary>The channel's currency, with <see cref="ExchangeRate"/> from the host's; null: the host's currency.</summary>
    public string? Currency { get; init; }

    /// <summary>Units of <see cref="Currency"/> per unit of the host's currency. Default 1.</summary>
    public decimal ExchangeRate { get; init; } = 1m;

    /// <summary>A price for particular products (by draft), taking precedence when it returns one.</summary>
    public Func<ListingDraft, Money?>? Fixed { get; init; }

    /// <summary>A markup of <paramref name="percent"/> %, optionally ending in <paramref name="ending"/>.</summary>
    public static PriceRule Markup(decimal percent, decimal? ending = null) => new() { Multiplier = 1m + (percent / 100m), Ending = ending };

    /// <summary>The price on the channel.</summary>
    public Money Apply(ListingDraft draft)
    {
        ArgumentNullException.ThrowIfNull(draft);
        if (Fixed?.Invoke(draft) is { } fixedPrice)
        {
            return fixedPrice;
        }

        if (Multiplier == 1m && Add == 0m && RoundUpTo is null && Ending is null && Currency is null)
        {
            return draft.Price;
        }

        var amount = (draft.Price.Amount * (Currency is null ? 1m : ExchangeRate) * Multiplier) + Add;
        if (RoundUpTo is { } step and > 0)
        {
            amount = Math.Ceiling(amount / step) * step;
        }

        amount = Math.Round(amount, 2, MidpointRounding.AwayFromZero);
        if (Ending is { } ending and >= 0 and < 1)
        {
            var whole = Math.Floor(amount);
            amount = whole + ending < amount ? whole + 1 + ending : whole + ending;
        }

        return new Money(amount, Currency ?? draft.Price.Currency);
    }
}

/// <summary>Units held back from a channel: a share first, then a fixed number, never below zero; an optional cap per listing.</summary>
public sealed record QuantityBuffer
{
    /// <summary>Everything the host has.</summary>
    public static QuantityBuffer None { get; } = new();

    /// <summary>Units kept off the channel (after the share). Default 0.</summary>
    public int HoldBack { get; init; }

    /// <summary>The share of the host's units offered (0..1, rounded down). Default 1.</summary>
    public decimal Share { get; init; } = 1m;

    /// <summary>The most a listing on the channel can show (Instica: 1, one item per unit); null: no cap.</summary>
    public int? Max { get; init; }

    /// <summary>The quantity on the channel.</summary>
    public int Apply(int hostQuantity)
    {
        var offered = (int)Math.Floor(Math.Max(0, hostQuantity) * Math.Clamp(Share, 0m, 1m)) - Math.Max(0, HoldBack);
        offered = Math.Max(0, offered);
        return Max is { } max ? Math.Min(offered, Math.Max(0, max)) : offered;
    }
}
