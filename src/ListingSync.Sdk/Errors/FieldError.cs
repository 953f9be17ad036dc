namespace ListingSync.Sdk;

/// <summary>One broken rule on one field.</summary>
/// <param name="Field">The field's path, e.g. <c>reference</c> or <c>listings[3].price</c>.</param>
/// <param name="Rule">A stable rule name a program can switch on, e.g. <c>max-length</c>.</param>
/// <param name="Message">What is wrong and what a good value looks like.</param>
public sealed record FieldError(string Field, string Rule, string Message)
{
    /// <summary>A value that would pass, where one is known (JTL's listing-failed reports carry it as <c>recommendedValue</c>).</summary>
    public string? RecommendedValue { get; init; }

    /// <inheritdoc />
    public override string ToString() => $"{Field}: {Message} ({Rule})";
}
