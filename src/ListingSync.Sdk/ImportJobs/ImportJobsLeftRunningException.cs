namespace ListingSync.Sdk.ImportJobs;

/// <summary>
/// An apply was cancelled while import jobs it started were still running on the marketplace. They keep running there;
/// they are recorded in the mapping store, and the next plan waits for them (or terminates them, see
/// <c>ReconcilerOptions.RunningImports</c>) before it plans any create, so their rows are not created twice.
/// </summary>
public class ImportJobsLeftRunningException : OperationCanceledException
{
    /// <summary>Creates the exception.</summary>
    public ImportJobsLeftRunningException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public ImportJobsLeftRunningException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and cause.</summary>
    public ImportJobsLeftRunningException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception for <paramref name="jobIds"/>, cancelled by <paramref name="token"/>.</summary>
    public ImportJobsLeftRunningException(string message, IReadOnlyList<string> jobIds, Exception? innerException, CancellationToken token)
        : base(message, innerException, token) => JobIds = jobIds;

    /// <summary>The jobs left running (empty when the upload was cut before the marketplace named its job).</summary>
    public IReadOnlyList<string> JobIds { get; } = [];
}
