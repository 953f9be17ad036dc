using ListingSync.Sdk.Testing;

namespace ListingSync.Sdk.Tests;

internal static class ClockDriver
{
    /// <summary>Advances fake time in steps until <paramref name="task"/> completes (or <paramref name="max"/> of fake time passed).</summary>
    public static async Task<T> RunAsync<T>(FakeTimeProvider time, Task<T> task, TimeSpan step, TimeSpan max)
    {
        var advanced = TimeSpan.Zero;
        while (!task.IsCompleted && advanced < max)
        {
            await Task.Delay(2);
            time.Advance(step);
            advanced += step;
        }

        return await task.WaitAsync(TimeSpan.FromSeconds(10));
    }
}
