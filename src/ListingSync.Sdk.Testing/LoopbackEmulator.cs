using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ListingSync.Sdk.Testing;

/// <summary>
/// The base of every marketplace emulator: Kestrel on 127.0.0.1, the base address, request counters per route, the
/// injected clock and the seeded fault model of <see cref="EmulatorOptions"/>. A channel's emulator maps its routes,
/// says how it authenticates and how its errors look; the base applies, in this order for every request: counting,
/// the emulator's own admission (authentication, its documented rate limits), the per-seller rate limit, latency, a
/// dropped connection, a 503. Writes call <see cref="AppliedThenFailed"/> after applying, for the 500 whose answer lies.
/// </summary>
public abstract class LoopbackEmulator : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, RateBucket> _buckets = new(StringComparer.Ordinal);
    private readonly Random _random;
    private readonly Lock _randomGate = new();
    private WebApplication? _app;
    private long _requests;
    private long _inFlight;
    private long _throttled;
    private long _faults;
    private int _loseNextWriteAnswers;
    private long _unitsSold;
    private volatile bool _down;

    /// <summary>Creates the emulator; <see cref="StartServerAsync"/> starts it.</summary>
    protected LoopbackEmulator(EmulatorOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        Faults = options;
        _random = new Random(options.Seed);
    }

    /// <summary>The shared settings: port, seed, clock and faults.</summary>
    public EmulatorOptions Faults { get; }

    /// <summary>The emulator's clock.</summary>
    public TimeProvider Time => Faults.TimeProvider;

    /// <summary>The address to give the SDK, e.g. <c>http://127.0.0.1:54321/</c>.</summary>
    public Uri BaseAddress { get; private set; } = null!;

    /// <summary>Requests received (all routes).</summary>
    public long RequestCount => Interlocked.Read(ref _requests);

    /// <summary>Requests the emulator is handling at this moment.</summary>
    public long RequestsInFlight => Interlocked.Read(ref _inFlight);

    /// <summary>
    /// Waits until the emulator handles no request, as a marketplace finishes a write whose caller was killed or
    /// cancelled: a test counts what a crash left only after that. Throws <see cref="TimeoutException"/> after
    /// <paramref name="timeout"/> (default 10 s).
    /// </summary>
    public async Task WaitUntilIdleAsync(TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        var limit = timeout ?? TimeSpan.FromSeconds(10);
        var started = Stopwatch.GetTimestamp();
        while (RequestsInFlight > 0)
        {
            if (Stopwatch.GetElapsedTime(started) > limit)
            {
                throw new TimeoutException($"The emulator still handled {RequestsInFlight} request(s) after {limit.TotalSeconds:0.#} s.");
            }

            await Task.Delay(10, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// True while the marketplace is down: every API request is answered 503 and its storefront sells nothing (a
    /// simulated sale throws). Set it back to false and the marketplace answers again with everything it held.
    /// </summary>
    public bool IsDown
    {
        get => _down;
        set => _down = value;
    }

    /// <summary>Units buyers bought on the marketplace's storefront (the simulated sales): its books, to count against what was available.</summary>
    public long UnitsSold => Interlocked.Read(ref _unitsSold);

    /// <summary>Requests answered 429 by a rate limit.</summary>
    public long ThrottledCount => Interlocked.Read(ref _throttled);

    /// <summary>Injected faults (503, writes answered 500 after being applied, dropped connections).</summary>
    public long FaultCount => Interlocked.Read(ref _faults);

    /// <summary>Requests per route template, e.g. <c>POST /seller/listings/bulk</c>.</summary>
    public ConcurrentDictionary<string, long> RouteCounts { get; } = new(StringComparer.Ordinal);

    /// <summary>The running application's services (e.g. an <see cref="IHttpClientFactory"/> for outgoing webhooks).</summary>
    protected IServiceProvider Services => _app?.Services ?? throw new InvalidOperationException("The emulator has not started.");

    /// <summary>
    /// The next <paramref name="count"/> writes are applied and then answered 500, as when a gateway loses the answer
    /// after the marketplace committed the write: the client cannot know.
    /// </summary>
    public void LoseNextWriteAnswers(int count = 1)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        Interlocked.Exchange(ref _loseNextWriteAnswers, count);
    }

    /// <summary>Stops the server.</summary>
    public virtual async ValueTask DisposeAsync()
    {
        if (_app is { } app)
        {
            await app.StopAsync().ConfigureAwait(false);
            await app.DisposeAsync().ConfigureAwait(false);
        }

        GC.SuppressFinalize(this);
    }

    /// <summary>Builds and starts Kestrel with the shared middleware, then the emulator's routes.</summary>
    protected async Task StartServerAsync(CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel(k =>
        {
            k.Listen(IPAddress.Loopback, Faults.Port);
            k.Limits.MaxRequestBodySize = 512L * 1024 * 1024;
        });
        builder.Logging.ClearProviders();
        builder.Services.AddHttpClient();
        var app = builder.Build();
        app.Use(async (context, next) =>
        {
            Interlocked.Increment(ref _inFlight);
            try
            {
                if (await AdmitAsync(context).ConfigureAwait(false))
                {
                    await next(context).ConfigureAwait(false);
                }
            }
            finally
            {
                Interlocked.Decrement(ref _inFlight);
            }
        });
        MapRoutes(app);
        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        _app = app;
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        BaseAddress = new Uri(address.EndsWith('/') ? address : address + "/");
    }

    /// <summary>Maps the emulator's routes.</summary>
    protected abstract void MapRoutes(WebApplication app);

    /// <summary>
    /// The emulator's own admission of a request: authentication, documented rate limits. Write the answer and return
    /// false to stop it; return the seller key the shared rate limit applies to (or null for none) to let it through.
    /// </summary>
    protected abstract Task<(bool Admitted, string? RateKey)> AdmitCoreAsync(HttpContext context);

    /// <summary>An error answer in the marketplace's own format.</summary>
    protected abstract IResult ErrorResult(int status, string code, string message);

    /// <summary>
    /// After a write was applied: the 500 that hides it when a lost answer was asked for (<see cref="LoseNextWriteAnswers"/>)
    /// or drawn (<see cref="EmulatorOptions.AmbiguousWriteErrorRate"/>); otherwise null, and the route answers as usual.
    /// </summary>
    protected IResult? AppliedThenFailed()
    {
        if (TakeLostAnswer() || (Faults.AmbiguousWriteErrorRate > 0 && NextDouble() < Faults.AmbiguousWriteErrorRate))
        {
            Interlocked.Increment(ref _faults);
            return ErrorResult(500, "INTERNAL", "Injected fault after the write was applied");
        }

        return null;
    }

    /// <summary>Throws when the marketplace is down (<see cref="IsDown"/>): call it before a simulated sale changes anything.</summary>
    protected void ThrowIfDown()
    {
        if (_down)
        {
            throw new InvalidOperationException("The marketplace is down: its storefront sells nothing.");
        }
    }

    /// <summary>Books units a simulated buyer bought (<see cref="UnitsSold"/>).</summary>
    protected void CountSold(int units) => Interlocked.Add(ref _unitsSold, units);

    /// <summary>Counts a 429 the emulator's own rate limit answered.</summary>
    protected void CountThrottled() => Interlocked.Increment(ref _throttled);

    /// <summary>The next value of the seeded random source, in [0, 1).</summary>
    protected internal double NextDouble()
    {
        lock (_randomGate)
        {
            return _random.NextDouble();
        }
    }

    private async Task<bool> AdmitAsync(HttpContext context)
    {
        Interlocked.Increment(ref _requests);
        var endpoint = context.GetEndpoint() as RouteEndpoint;
        RouteCounts.AddOrUpdate($"{context.Request.Method} /{endpoint?.RoutePattern.RawText?.TrimStart('/') ?? context.Request.Path}", 1, (_, n) => n + 1);
        if (_down)
        {
            await UnavailableAsync(context, "The marketplace is down").ConfigureAwait(false);
            return false;
        }

        var (admitted, rateKey) = await AdmitCoreAsync(context).ConfigureAwait(false);
        if (!admitted)
        {
            return false;
        }

        if (Faults.RateLimitPerSecond is { } rate && rateKey is not null)
        {
            var bucket = _buckets.GetOrAdd(rateKey, _ => new RateBucket(rate, Faults.RateLimitBurst ?? Math.Max(1, (int)rate), Time));
            if (bucket.TryTake() is { } wait)
            {
                Interlocked.Increment(ref _throttled);
                context.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
                context.Response.Headers["X-RateLimit-Limit"] = rate.ToString(CultureInfo.InvariantCulture);
                context.Response.Headers["X-RateLimit-Remaining"] = "0";
                await ErrorResult(StatusCodes.Status429TooManyRequests, "RATE_LIMITED", "Too many requests").ExecuteAsync(context).ConfigureAwait(false);
                return false;
            }
        }

        if (Faults.MaxLatency > TimeSpan.Zero)
        {
            var span = Faults.MaxLatency - Faults.MinLatency;
            await Task.Delay(Faults.MinLatency + TimeSpan.FromTicks((long)(NextDouble() * span.Ticks)), Time, context.RequestAborted).ConfigureAwait(false);
        }

        if (Faults.DropConnectionRate > 0 && NextDouble() < Faults.DropConnectionRate)
        {
            Interlocked.Increment(ref _faults);
            context.Abort();
            return false;
        }

        if (Faults.ServerErrorRate > 0 && NextDouble() < Faults.ServerErrorRate)
        {
            await UnavailableAsync(context, "Injected fault").ConfigureAwait(false);
            return false;
        }

        return true;
    }

    /// <summary>Answers 503 in the marketplace's format, counted as a fault.</summary>
    private Task UnavailableAsync(HttpContext context, string message)
    {
        Interlocked.Increment(ref _faults);
        return ErrorResult(StatusCodes.Status503ServiceUnavailable, "UNAVAILABLE", message).ExecuteAsync(context);
    }

    private bool TakeLostAnswer() => Countdown.TryTake(ref _loseNextWriteAnswers);

    /// <summary>A token bucket on the emulator's clock.</summary>
    private sealed class RateBucket(double perSecond, int burst, TimeProvider time)
    {
        private readonly Lock _gate = new();
        private double _tokens = burst;
        private long _last = time.GetTimestamp();

        /// <summary>Takes a token, or returns how long until one is available.</summary>
        public TimeSpan? TryTake()
        {
            lock (_gate)
            {
                var now = time.GetTimestamp();
                _tokens = Math.Min(burst, _tokens + (time.GetElapsedTime(_last, now).TotalSeconds * perSecond));
                _last = now;
                if (_tokens >= 1)
                {
                    _tokens -= 1;
                    return null;
                }

                return TimeSpan.FromSeconds((1 - _tokens) / perSecond);
            }
        }
    }
}
