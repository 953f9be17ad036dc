using ListingSync.Sdk.Model;

namespace ListingSync.Sdk.Channels;

/// <summary>The result of writing one listing.</summary>
public sealed record ListingWriteResult
{
    /// <summary>Position of the draft in the caller's input (0 for single writes).</summary>
    public int Index { get; init; }

    /// <summary>The draft's reference, when it had one.</summary>
    public string? Reference { get; init; }

    /// <summary>The marketplace listing id, when known.</summary>
    public string? ListingId { get; init; }

    /// <summary>
    /// The listing as the marketplace holds it after the write, when the channel read it back (Managem: updates, and
    /// creates whose ids were resolved). Its <see cref="Listing.UpdatedAt"/> lets later events older than this write be
    /// recognised as stale.
    /// </summary>
    public Listing? Listing { get; init; }

    /// <summary>What happened.</summary>
    public required ListingWriteStatus Status { get; init; }

    /// <summary>Why a write was rejected or failed, per field where known.</summary>
    public IReadOnlyList<FieldError> Errors { get; init; } = [];

    /// <summary>The exception behind a failure, when there was one.</summary>
    public Exception? Exception { get; init; }

    /// <summary>True when the write succeeded.</summary>
    public bool IsSuccess => Status == ListingWriteStatus.Succeeded;
}
