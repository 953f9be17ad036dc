namespace ListingSync.Sdk.Model;

/// <summary>Professional grading of a card (e.g. PSA 10).</summary>
/// <param name="Provider">Grading company, e.g. <c>PSA</c>.</param>
/// <param name="Score">Grade, e.g. <c>10</c>.</param>
/// <param name="CertificateNumber">The grader's certificate number.</param>
public sealed record Grading(string Provider, string Score, string? CertificateNumber = null);
