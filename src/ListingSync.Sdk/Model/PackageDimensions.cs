namespace ListingSync.Sdk.Model;

/// <summary>The shipping size and weight of one unit, as shipped.</summary>
/// <param name="Length">Length (x), not negative.</param>
/// <param name="Width">Width (y), not negative.</param>
/// <param name="Height">Height (z), not negative.</param>
/// <param name="Weight">Weight, not negative.</param>
/// <param name="LengthUnit">Unit of the three lengths: <c>cm</c> (default), <c>mm</c>, <c>m</c> or <c>in</c>.</param>
/// <param name="WeightUnit">Unit of the weight: <c>kg</c> (default), <c>g</c> or <c>lb</c>.</param>
public sealed record PackageDimensions(decimal Length, decimal Width, decimal Height, decimal Weight, string LengthUnit = "cm", string WeightUnit = "kg");
