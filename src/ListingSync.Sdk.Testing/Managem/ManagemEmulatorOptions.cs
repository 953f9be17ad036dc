namespace ListingSync.Sdk.Testing.Managem;

/// <summary>How a <see cref="ManagemEmulator"/> behaves. Faults are seeded, so a run reproduces.</summary>
public sealed class ManagemEmulatorOptions
{
    /// <summary>Port on 127.0.0.1; 0 (default) picks a free one.</summary>
    public int Port { get; set; }

    /// <summary>Seed of every random choice (faults, generated catalogue). Default 42.</summary>
    public int Seed { get; set; } = 42;

    /// <summary>Generated catalogue items beside the built-in trading cards. Default 1,000.</summary>
    public int GeneratedItems { get; set; } = 1_000;

    /// <summary>Requests per second allowed per seller; beyond it the emulator answers 429 with <c>Retry-After</c>. Null: no limit.</summary>
    public double? RateLimitPerSecond { get; set; }

    /// <summary>Requests a seller may send at once after idling, when rate limited. Default: one second's worth.</summary>
    public int? RateLimitBurst { get; set; }

    /// <summary>Share of requests answered 503 before anything is done (0..1).</summary>
    public double ServerErrorRate { get; set; }

    /// <summary>Share of writes that are applied and then answered 500 — the ambiguous failure (0..1).</summary>
    public double AmbiguousWriteErrorRate { get; set; }

    /// <summary>Share of requests whose connection is dropped without an answer (0..1).</summary>
    public double DropConnectionRate { get; set; }

    /// <summary>Added latency per request, picked uniformly between the bounds.</summary>
    public TimeSpan MinLatency { get; set; }

    /// <summary>Added latency per request, picked uniformly between the bounds.</summary>
    public TimeSpan MaxLatency { get; set; }

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
