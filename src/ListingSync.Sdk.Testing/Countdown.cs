namespace ListingSync.Sdk.Testing;

/// <summary>A thread-safe count of injected faults still to come ("the next n writes lose their answer").</summary>
internal static class Countdown
{
    /// <summary>Takes one from <paramref name="counter"/> when it is above zero; false (unchanged) at zero.</summary>
    public static bool TryTake(ref int counter)
    {
        int left;
        do
        {
            left = Volatile.Read(ref counter);
            if (left <= 0)
            {
                return false;
            }
        }
        while (Interlocked.CompareExchange(ref counter, left - 1, left) != left);

        return true;
    }
}
