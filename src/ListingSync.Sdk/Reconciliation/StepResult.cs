using ListingSync.Sdk.Channels;

namespace ListingSync.Sdk.Reconciliation;

/// <summary>What happened to one step when the plan was applied.</summary>
/// <param name="Step">The step.</param>
/// <param name="Status">The outcome; <see cref="ListingWriteStatus.Unknown"/> is safe to leave to the next run, which adopts by reference.</param>
/// <param name="ListingId">The listing, when known.</param>
/// <param name="Errors">Why it failed.</param>
/// <param name="Exception">The exception behind a failure.</param>
public sealed record StepResult(PlanStep Step, ListingWriteStatus Status, string? ListingId, IReadOnlyList<FieldError> Errors, Exception? Exception = null);
