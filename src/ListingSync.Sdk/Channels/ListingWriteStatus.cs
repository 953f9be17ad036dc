namespace ListingSync.Sdk.Channels;

/// <summary>The outcome of one write.</summary>
public enum ListingWriteStatus
{
    /// <summary>The marketplace applied the write.</summary>
    Succeeded = 0,

    /// <summary>The SDK refused the input before sending it; see the field errors.</summary>
    Rejected = 1,

    /// <summary>The marketplace refused the write.</summary>
    Failed = 2,

    /// <summary>
    /// The call failed in a way that leaves the outcome unknown (timeout, 5xx after sending, verification
    /// impossible). Reconcile before repeating: a listing created with a reference is adopted, not duplicated.
    /// </summary>
    Unknown = 3,
}
