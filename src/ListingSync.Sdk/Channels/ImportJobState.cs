namespace ListingSync.Sdk.Channels;

/// <summary>Where an import job is in its life.</summary>
public enum ImportJobState
{
    /// <summary>Accepted, not started.</summary>
    Pending = 0,

    /// <summary>Processing.</summary>
    Running = 1,

    /// <summary>Paused by the seller.</summary>
    Paused = 2,

    /// <summary>Finished (possibly with row errors).</summary>
    Completed = 3,

    /// <summary>Stopped by the seller before the end.</summary>
    Terminated = 4,

    /// <summary>The job as a whole failed.</summary>
    Failed = 5,

    /// <summary>A state the SDK does not know; see <see cref="ImportJobStatus.RawState"/>.</summary>
    Unknown = 6,
}
