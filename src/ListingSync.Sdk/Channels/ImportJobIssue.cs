namespace ListingSync.Sdk.Channels;

/// <summary>One row or item an import job could not import.</summary>
/// <param name="Id">The channel's id of the issue.</param>
/// <param name="Code">The channel's error code (Managem: an HTTP-like number such as 404 or 409).</param>
/// <param name="Message">What went wrong.</param>
/// <param name="Line">The original input line (Managem quotes the CSV line), when given.</param>
public sealed record ImportJobIssue(string Id, string? Code, string Message, string? Line);
