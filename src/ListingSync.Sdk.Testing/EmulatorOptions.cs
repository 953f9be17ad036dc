namespace ListingSync.Sdk.Testing;

/// <summary>
/// What every loopback emulator shares: where it listens, its clock, and one seeded fault model (rate limit with
/// 429 + <c>Retry-After</c>, 5xx, writes applied and then answered 500, dropped connections, latency). Faults are drawn
/// from one seeded random source, so a run reproduces.
/// </summary>
public class EmulatorOptions
{
    /// <summary>Port on 127.0.0.1; 0 (default) picks a free one.</summary>
    public int Port { get; set; }

    /// <summary>Seed of every random choice (faults, latency, generated data). Default 42.</summary>
    public int Seed { get; set; } = 42;

    /// <summary>
    /// The emulator's clock: timestamps, token expiry, visibility timeouts and rate windows read it. Default the system
    /// clock; a <c>FakeTimeProvider</c> lets a test move time without waiting.
    /// </summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>Requests per second per seller before 429 with <c>Retry-After</c>; null (default) for no limit.</summary>
    public double? RateLimitPerSecond { get; set; }

    /// <summary>Requests a seller may make at once before the rate applies; default the rate rounded down (at least 1).</summary>
    public int? RateLimitBurst { get; set; }

    /// <summary>Share of requests answered 503 before anything is applied. Default 0.</summary>
    public double ServerErrorRate { get; set; }

    /// <summary>Share of writes applied and then answered 500: the client cannot know the outcome. Default 0.</summary>
    public double AmbiguousWriteErrorRate { get; set; }

    /// <summary>Share of requests whose connection is dropped before an answer (nothing applied). Default 0.</summary>
    public double DropConnectionRate { get; set; }

    /// <summary>Least added latency per request. Default 0.</summary>
    public TimeSpan MinLatency { get; set; }

    /// <summary>Most added latency per request (uniform between the two). Default 0: none.</summary>
    public TimeSpan MaxLatency { get; set; }
}
