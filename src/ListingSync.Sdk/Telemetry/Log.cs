using System.Net;
using Microsoft.Extensions.Logging;

namespace ListingSync.Sdk.Telemetry;

internal static partial class Log
{
    [LoggerMessage(1001, LogLevel.Debug, "{Channel} {Operation} for seller {Seller}: {StatusCode} in {ElapsedMs} ms (attempt {Attempt})")]
    public static partial void AttemptCompleted(ILogger logger, string channel, string operation, string seller, int statusCode, double elapsedMs, int attempt);

    [LoggerMessage(1002, LogLevel.Warning, "{Channel} {Operation} for seller {Seller}: retry {Retry} in {DelayMs} ms after {Reason}")]
    public static partial void Retrying(ILogger logger, string channel, string operation, string seller, int retry, double delayMs, string reason);

    [LoggerMessage(1003, LogLevel.Information, "{Channel} rate limit for seller {Seller}: waited {WaitMs} ms for a permit")]
    public static partial void RateLimitWait(ILogger logger, string channel, string seller, double waitMs);

    [LoggerMessage(1004, LogLevel.Warning, "{Channel} {Operation} for seller {Seller} failed: {StatusCode} {ErrorCode} {ErrorMessage} (request id {RequestId})")]
    public static partial void RequestFailed(ILogger logger, string channel, string operation, string seller, HttpStatusCode? statusCode, string? errorCode, string? errorMessage, string? requestId);

    [LoggerMessage(1005, LogLevel.Warning, "{Channel} bulk create: {Count} rows had an ambiguous outcome; verified {Found} of them by reference")]
    public static partial void AmbiguousBulkCreate(ILogger logger, string channel, int count, int found);
}
