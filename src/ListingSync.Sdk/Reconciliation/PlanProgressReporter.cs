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

    public void Mapping() => Tick(ref _mappings);

    public void Remote() => Tick(ref _remote);

    public void Desired() => Tick(ref _desired);

    public void Resolved(int count)
    {
        _resolved += count;
        Report();
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
