namespace ListingSync.Sdk.Testing.Managem;

/// <summary>
/// How a <see cref="ManagemEmulator"/> behaves: the shared port, clock and seeded faults of <see cref="EmulatorOptions"/>
/// (the rate limit is per seller), plus Managem's catalogue, webhooks and imports.
/// </summary>
public sealed class ManagemEmulatorOptions : EmulatorOptions
{
    /// <summary>Generated catalogue items beside the built-in trading cards. Default 1,000.</summary>
    public int GeneratedItems { get; set; } = 1_000;

    /// <summary>Share of webhook deliveries silently lost (0..1).</summary>
    public double WebhookDropRate { get; set; }

    /// <summary>Share of webhook deliveries sent twice (0..1).</summary>
    public double WebhookDuplicateRate { get; set; }

    /// <summary>Deliveries are held for a random delay up to this, so they can arrive out of order. Default zero (in order).</summary>
    public TimeSpan WebhookReorderWindow { get; set; }

    /// <summary>Wait before a failed delivery is tried again. Default 200 ms.</summary>
    public TimeSpan WebhookRetryDelay { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>Attempts per delivery. Default 3.</summary>
    public int WebhookMaxAttempts { get; set; } = 3;

    /// <summary>Consecutive failures after which an endpoint is disabled. Default 5.</summary>
    public int MaxConsecutiveFailures { get; set; } = 5;

    /// <summary>Rows an import processes per batch. Default 1,000.</summary>
    public int ImportBatchSize { get; set; } = 1_000;

    /// <summary>Pause between import batches. Default 20 ms.</summary>
    public TimeSpan ImportBatchDelay { get; set; } = TimeSpan.FromMilliseconds(20);
}
