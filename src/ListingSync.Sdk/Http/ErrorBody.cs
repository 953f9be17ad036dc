namespace ListingSync.Sdk.Http;

/// <summary>What an error response body said, in the SDK's terms.</summary>
internal sealed record ErrorBody(string? Code, string? Message, IReadOnlyList<FieldError> FieldErrors)
{
    public static ErrorBody Empty { get; } = new(null, null, []);
}
