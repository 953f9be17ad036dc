using System.Globalization;

namespace ListingSync.Sdk.Model;

/// <summary>
/// An amount of money: a <see cref="decimal"/> in major units (pounds, euros) and an ISO 4217 currency code.
/// Channels convert to and from their wire form (minor units, strings) at the edge.
/// </summary>
public readonly record struct Money
{
    /// <summary>Creates an amount.</summary>
    /// <param name="amount">The amount in major units, e.g. <c>12.99m</c>.</param>
    /// <param name="currency">Three upper-case letters, e.g. <c>GBP</c>.</param>
    /// <exception cref="ArgumentException">The currency is not three upper-case ASCII letters.</exception>
    public Money(decimal amount, string currency)
    {
        if (!IsCurrencyCode(currency))
        {
            throw new ArgumentException($"'{currency}' is not an ISO 4217 currency code (three upper-case letters, e.g. GBP).", nameof(currency));
        }

        Amount = amount;
        Currency = currency;
    }

    /// <summary>The amount in major units.</summary>
    public decimal Amount { get; }

    /// <summary>The ISO 4217 currency code.</summary>
    public string Currency { get; }

    /// <summary>Creates an amount in pounds sterling.</summary>
    public static Money Gbp(decimal amount) => new(amount, "GBP");

    /// <summary>Creates an amount in euros.</summary>
    public static Money Eur(decimal amount) => new(amount, "EUR");

    /// <summary>US dollars.</summary>
    public static Money Usd(decimal amount) => new(amount, "USD");

    /// <summary>True when <paramref name="value"/> has the form of an ISO 4217 code.</summary>
    public static bool IsCurrencyCode(string? value) =>
        value is { Length: 3 } && char.IsAsciiLetterUpper(value[0]) && char.IsAsciiLetterUpper(value[1]) && char.IsAsciiLetterUpper(value[2]);

    /// <inheritdoc />
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Amount:0.00##} {Currency}");
}
