using System.Net;

namespace ListingSync.Sdk;

/// <summary>
/// A marketplace call failed: the marketplace answered with an error, the call timed out, or the
/// connection failed. Carries what support needs: status, the marketplace's code and message,
/// the request id and the raw body.
/// </summary>
public class ListingSyncRequestException : ListingSyncException
{
    /// <summary>Creates the exception.</summary>
    public ListingSyncRequestException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public ListingSyncRequestException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and cause.</summary>
    public ListingSyncRequestException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>The channel called, e.g. <c>managem</c>.</summary>
    public string? Channel { get; init; }

    /// <summary>The operation, e.g. <c>listings.bulk-create</c>.</summary>
    public string? Operation { get; init; }

    /// <summary>The HTTP status code; null when no response arrived (timeout, connection failure).</summary>
    public HttpStatusCode? StatusCode { get; init; }

    /// <summary>The marketplace's error code, when its body carried one.</summary>
    public string? ErrorCode { get; init; }

    /// <summary>The marketplace's error message, when its body carried one.</summary>
    public string? ErrorMessage { get; init; }

    /// <summary>The marketplace's request id (from response headers), when sent.</summary>
    public string? RequestId { get; init; }

    /// <summary>The raw response body (truncated to 64 KiB).</summary>
    public string? RawBody { get; init; }

    /// <summary>Per-field errors the marketplace reported, if any.</summary>
    public IReadOnlyList<FieldError> FieldErrors { get; init; } = [];

    /// <summary>True when the call timed out.</summary>
    public bool IsTimeout { get; init; }

    /// <summary>
    /// True when the marketplace may have applied the request even though the call failed (a timeout or
    /// 5xx on a call that changes state). Callers must check before repeating a non-idempotent call.
    /// </summary>
    public bool OutcomeUnknown { get; init; }
}
