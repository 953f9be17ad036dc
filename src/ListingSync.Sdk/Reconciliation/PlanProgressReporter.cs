namespace ListingSync.Sdk.Reconciliation;

/// <summary>Counts what planning read and reports it at each phase change and every 1,000 items.</summary>
internal sealed class PlanProgressReporter(IProgress<PlanningProgress>? progress)
{
    private const int Every = 1_000;
    private PlanningPhase _phase;
    private int _mappings, _remote, _desired, _resolved;

    public void Phase(PlanningPhase phase)
    {
        _phase = phase;
        Report();
    }

    public void Mapping() => Count(ref _mappings);

    /// <summary>A listing of a scan (one reader).</summary>
    public void Remote() => Count(ref _remote);

    /// <summary>A listing read by id, from one of several readers at once.</summary>
    public void RemoteConcurrent() => Tick(ref _remote);

    public void Desired() => Count(ref _desired);

    public void Resolved(int count)
    {
        _resolved += count;
        Report();
    }

    // Scans and the host's stream are read by one reader: no atomic increment per item (two million on a large plan).
    private void Count(ref int counter)
    {
        if (++counter % Every == 0)
        {
            Report();
        }
    }

    private void Tick(ref int counter)
    {
        // Per-listing reads count from several threads at once.
        if (Interlocked.Increment(ref counter) % Every == 0)
        {
            Report();
        }
    }

    private void Report() => progress?.Report(new PlanningProgress(_phase, Volatile.Read(ref _mappings), Volatile.Read(ref _remote), Volatile.Read(ref _desired), _resolved));
}
