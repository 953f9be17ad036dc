using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using ListingSync.Sdk.Resilience;
using ListingSync.Sdk.Telemetry;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.Retry;
using Polly.Timeout;

namespace ListingSync.Sdk.Http;

/// <summary>
/// The pipeline every channel request passes: total timeout → retry (exponential backoff with jitter,
/// <c>Retry-After</c> honoured and capped, unsafe methods only when idempotent) → client-side rate limit per
/// seller → credentials read for this attempt → per-attempt timeout → the wire. Handlers a host adds to the
/// <c>IHttpClientBuilder</c> run inside it, once per attempt.
/// </summary>
internal sealed class ChannelHttpHandler : DelegatingHandler
{
    private static readonly ResiliencePropertyKey<AttemptState> StateKey = new("ListingSync.AttemptState");

    private readonly string _channel;
    private readonly Func<ChannelClientOptions> _options;
    private readonly ICredentialProvider? _credentials;
    private readonly RateLimiterRegistry _limiters;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private (ResilienceOptions Source, ResiliencePipeline<HttpResponseMessage> Outer, ResiliencePipeline Attempt)? _pipelines;

    public ChannelHttpHandler(string channel, Func<ChannelClientOptions> options, ICredentialProvider? credentials, RateLimiterRegistry limiters, TimeProvider time, ILogger logger)
    {
        _channel = channel;
        _options = options;
        _credentials = credentials;
        _limiters = limiters;
        _time = time;
        _logger = logger;
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (!request.Options.TryGetValue(ChannelRequestContext.Key, out var requestContext))
        {
            throw new InvalidOperationException("Channel requests must carry a ChannelRequestContext.");
        }

        var options = _options();
        var (outer, attempt) = Pipelines(options.Resilience);
        var state = new AttemptState(this, request, requestContext, options, attempt);
        using var activity = ListingSyncDiagnostics.ActivitySource.StartActivity($"{_channel} {requestContext.Operation}", ActivityKind.Client);
        activity?.SetTag("listingsync.channel", _channel);
        activity?.SetTag("listingsync.operation", requestContext.Operation);
        activity?.SetTag("listingsync.seller", requestContext.Seller.SellerId);
        var started = _time.GetTimestamp();
        var context = ResilienceContextPool.Shared.Get(requestContext.Operation, cancellationToken);
        context.Properties.Set(StateKey, state);
        var outcome = "error";
        try
        {
            var response = await outer.ExecuteAsync(
                static (ctx, s) => s.Handler.SendAttemptAsync(s, ctx.CancellationToken),
                context,
                state).ConfigureAwait(false);
            outcome = ((int)response.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture);
            activity?.SetTag("http.response.status_code", (int)response.StatusCode);
            return response;
        }
        catch (TimeoutRejectedException ex)
        {
            outcome = "timeout";
            activity?.SetStatus(ActivityStatusCode.Error, "timeout");
            throw new ListingSyncRequestException($"{_channel} {requestContext.Operation} timed out after {state.Attempts} attempt(s).", ex)
            {
                Channel = _channel,
                Operation = requestContext.Operation,
                IsTimeout = true,
                OutcomeUnknown = !requestContext.Idempotent && state.Sent,
            };
        }
        catch (HttpRequestException ex)
        {
            outcome = "transport";
            activity?.SetStatus(ActivityStatusCode.Error, ex.Message);
            throw new ListingSyncRequestException($"{_channel} {requestContext.Operation} failed to reach the marketplace: {ex.Message}", ex)
            {
                Channel = _channel,
                Operation = requestContext.Operation,
                OutcomeUnknown = !requestContext.Idempotent && !NotSent(ex),
            };
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
            var tags = new TagList { { "channel", _channel }, { "operation", requestContext.Operation }, { "outcome", outcome } };
            ListingSyncDiagnostics.Requests.Add(1, tags);
            ListingSyncDiagnostics.Duration.Record(_time.GetElapsedTime(started).TotalSeconds, new TagList { { "channel", _channel }, { "operation", requestContext.Operation } });
        }
    }

    private async ValueTask<HttpResponseMessage> SendAttemptAsync(AttemptState state, CancellationToken cancellationToken)
    {
        state.Attempts++;
        var context = state.Context;
        if (state.Options.RateLimitFor(context.RateLimitGroup) is { Enabled: true } limit)
        {
            var limiter = _limiters.Get(_channel, context.Seller.SellerId, context.RateLimitGroup, limit);
            var waited = await limiter.WaitAsync(cancellationToken).ConfigureAwait(false);
            if (waited > TimeSpan.FromMilliseconds(250))
            {
                ListingSyncDiagnostics.Throttled.Add(1, new TagList { { "channel", _channel }, { "source", "client" } });
                Log.RateLimitWait(_logger, _channel, context.Seller.SellerId, waited.TotalMilliseconds);
            }
        }

        var credential = (_credentials is null ? null : await _credentials.GetCredentialAsync(_channel, context.Seller, cancellationToken).ConfigureAwait(false))
            ?? state.Options.FindCredential(context.Seller)
            ?? throw new ListingSyncException($"No credentials for seller '{context.Seller}' on {_channel}: set {_channel}:AccessToken or {_channel}:ApiKey, add the seller under {_channel}:Sellers, or register an ICredentialProvider.");
        if (credential.Scheme == "ApiKey" && state.Options.ApiKeyHeaderName is { } header)
        {
            state.Request.Headers.Remove(header);
            state.Request.Headers.TryAddWithoutValidation(header, credential.Token);
        }
        else
        {
            state.Request.Headers.Authorization = new AuthenticationHeaderValue(credential.Scheme, credential.Token);
        }

        var started = _time.GetTimestamp();
        state.Sent = true;
        // The body is read inside the attempt (its timeout and the total one cover it) and buffered with a cap, so a
        // stalled or trickling body times out and is retried where the call is idempotent, a cut body is a transport
        // failure like any other, and a huge Content-Length is refused before anything is allocated.
        var response = await state.AttemptPipeline.ExecuteAsync(
            static async (s, ct) => await s.Handler.BufferAsync(await s.Handler.SendInnerAsync(s.Request, ct).ConfigureAwait(false), s, ct).ConfigureAwait(false),
            state,
            cancellationToken).ConfigureAwait(false);

        if (state.Options.RateLimitFor(context.RateLimitGroup) is { Enabled: true } observed)
        {
            _limiters.Get(_channel, context.Seller.SellerId, context.RateLimitGroup, observed).Observe(response);
        }

        if (response.StatusCode == HttpStatusCode.TooManyRequests)
        {
            ListingSyncDiagnostics.Throttled.Add(1, new TagList { { "channel", _channel }, { "source", "server" } });
        }

        Log.AttemptCompleted(_logger, _channel, context.Operation, context.Seller.SellerId, (int)response.StatusCode, _time.GetElapsedTime(started).TotalMilliseconds, state.Attempts);
        return response;
    }

    private Task<HttpResponseMessage> SendInnerAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
        base.SendAsync(request, cancellationToken);

    private async Task<HttpResponseMessage> BufferAsync(HttpResponseMessage response, AttemptState state, CancellationToken cancellationToken)
    {
        var max = state.Options.MaxResponseBytes;
        var operation = state.Context.Operation;
        if (response.Content.Headers.ContentLength is { } announced && announced > max)
        {
            response.Dispose();
            throw TooLarge(operation, $"announces {announced} bytes (Content-Length)", max);
        }

        var buffered = new MemoryStream((int)Math.Min(response.Content.Headers.ContentLength ?? 16 * 1024, 1024 * 1024));
        var chunk = System.Buffers.ArrayPool<byte>.Shared.Rent(64 * 1024);
        try
        {
            var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            await using (stream.ConfigureAwait(false))
            {
                while (true)
                {
                    var read = await stream.ReadAsync(chunk, cancellationToken).ConfigureAwait(false);
                    if (read == 0)
                    {
                        break;
                    }

                    if (buffered.Length + read > max)
                    {
                        response.Dispose();
                        throw TooLarge(operation, "is longer", max);
                    }

                    buffered.Write(chunk, 0, read);
                }
            }
        }
        catch (IOException ex)
        {
            response.Dispose();
            throw new HttpRequestException(HttpRequestError.ResponseEnded, $"The connection was cut while the body of {operation} was read: {ex.Message}", ex);
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(chunk);
        }

        var content = new ByteArrayContent(buffered.GetBuffer(), 0, (int)buffered.Length);
        foreach (var header in response.Content.Headers)
        {
            if (!string.Equals(header.Key, "Content-Length", StringComparison.OrdinalIgnoreCase))
            {
                content.Headers.TryAddWithoutValidation(header.Key, header.Value);
            }
        }

        response.Content.Dispose();
        response.Content = content;
        return response;
    }

    private ListingSyncRequestException TooLarge(string operation, string what, long max) =>
        new($"{_channel} {operation}: the answer {what} than the cap of {max} bytes (ChannelClientOptions.MaxResponseBytes); nothing of it was read.")
        {
            Channel = _channel,
            Operation = operation,
            ErrorCode = "response-too-large",
        };

    private (ResiliencePipeline<HttpResponseMessage> Outer, ResiliencePipeline Attempt) Pipelines(ResilienceOptions options)
    {
        var cached = _pipelines;
        if (cached is { } c && ReferenceEquals(c.Source, options))
        {
            return (c.Outer, c.Attempt);
        }

        var outer = new ResiliencePipelineBuilder<HttpResponseMessage> { TimeProvider = _time, Name = _channel }
            .AddTimeout(new TimeoutStrategyOptions { Timeout = options.TotalTimeout });
        if (options.MaxRetryAttempts > 0)
        {
            outer.AddRetry(new RetryStrategyOptions<HttpResponseMessage>
            {
                MaxRetryAttempts = options.MaxRetryAttempts,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = options.UseJitter,
                Delay = options.BaseDelay,
                MaxDelay = options.MaxDelay,
                ShouldHandle = static args => new ValueTask<bool>(ShouldRetry(args.Outcome, args.Context)),
                DelayGenerator = static args => new ValueTask<TimeSpan?>(ServerDelay(args.Outcome, args.Context)),
                OnRetry = static args => OnRetry(args),
            });
        }

        var attempt = new ResiliencePipelineBuilder { TimeProvider = _time }
            .AddTimeout(new TimeoutStrategyOptions { Timeout = options.AttemptTimeout })
            .Build();
        var built = (options, outer.Build(), attempt);
        _pipelines = built;
        return (built.Item2, built.attempt);
    }

    private static bool ShouldRetry(Outcome<HttpResponseMessage> outcome, ResilienceContext context)
    {
        var state = context.Properties.GetValue(StateKey, null!);
        if (!state.Context.Replayable)
        {
            // A streamed body (an import file) was consumed by the first attempt and cannot be sent again.
            return false;
        }

        var idempotent = state.Context.Idempotent;
        if (outcome.Exception is { } exception)
        {
            return exception switch
            {
                OperationCanceledException when context.CancellationToken.IsCancellationRequested => false,
                HttpRequestException http => idempotent || NotSent(http),
                TimeoutRejectedException => idempotent,
                _ => false,
            };
        }

        var response = outcome.Result!;
        var status = (int)response.StatusCode;
        if (status == 429)
        {
            // A 429 means the marketplace refused the call before doing anything, so even a create may be repeated;
            // but a wait beyond the cap is not waited out here.
            var wait = AdaptiveRateLimiter.ServerRequestedWait(response, state.Handler._time.GetUtcNow());
            return wait is null || wait <= state.Options.Resilience.MaxRetryAfter;
        }

        return idempotent && (status == 408 || status >= 500);
    }

    private static TimeSpan? ServerDelay(Outcome<HttpResponseMessage> outcome, ResilienceContext context)
    {
        if (outcome.Result is not { } response)
        {
            return null;
        }

        var state = context.Properties.GetValue(StateKey, null!);
        var wait = AdaptiveRateLimiter.ServerRequestedWait(response, state.Handler._time.GetUtcNow());
        return wait is { } w ? TimeSpan.FromTicks(Math.Min(w.Ticks, state.Options.Resilience.MaxRetryAfter.Ticks)) : null;
    }

    private static ValueTask OnRetry(OnRetryArguments<HttpResponseMessage> args)
    {
        var state = args.Context.Properties.GetValue(StateKey, null!);
        var reason = args.Outcome.Exception is { } e ? e.GetType().Name : ((int)args.Outcome.Result!.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture);
        ListingSyncDiagnostics.Retries.Add(1, new TagList { { "channel", state.Handler._channel }, { "operation", state.Context.Operation }, { "reason", reason } });
        Log.Retrying(state.Handler._logger, state.Handler._channel, state.Context.Operation, state.Context.Seller.SellerId, args.AttemptNumber + 1, args.RetryDelay.TotalMilliseconds, reason);
        args.Outcome.Result?.Dispose();
        return ValueTask.CompletedTask;
    }

    /// <summary>True when the request provably never reached the server (no connection was made).</summary>
    private static bool NotSent(HttpRequestException exception) =>
        exception.HttpRequestError is HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError or HttpRequestError.ProxyTunnelError or HttpRequestError.SecureConnectionError;

    private sealed class AttemptState(ChannelHttpHandler handler, HttpRequestMessage request, ChannelRequestContext context, ChannelClientOptions options, ResiliencePipeline attemptPipeline)
    {
        public ChannelHttpHandler Handler { get; } = handler;

        public HttpRequestMessage Request { get; } = request;

        public ChannelRequestContext Context { get; } = context;

        public ChannelClientOptions Options { get; } = options;

        public ResiliencePipeline AttemptPipeline { get; } = attemptPipeline;

        public int Attempts { get; set; }

        public bool Sent { get; set; }
    }
}
