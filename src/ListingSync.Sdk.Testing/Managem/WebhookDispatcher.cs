using System.Diagnostics;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;
using ListingSync.Sdk.Webhooks;

namespace ListingSync.Sdk.Testing.Managem;

/// <summary>
/// Delivers events to webhook endpoints: signed (Standard Webhooks), retried, endpoints disabled after
/// <c>maxConsecutiveFailures</c>, failures recorded; and, when configured, dropped, duplicated or reordered.
/// </summary>
internal sealed class WebhookDispatcher : IAsyncDisposable
{
    private readonly ManagemEmulator _emulator;
    private readonly Channel<Delivery> _queue = Channel.CreateUnbounded<Delivery>();
    private readonly CancellationTokenSource _stop = new();
    private HttpClient? _http;
    private Task? _pump;
    private int _inFlight;

    public WebhookDispatcher(ManagemEmulator emulator) => _emulator = emulator;

    /// <summary>Deliveries queued or being sent.</summary>
    public int Pending => Volatile.Read(ref _inFlight) + _queue.Reader.Count;

    public void Start(HttpClient http)
    {
        _http = http;
        _http.Timeout = TimeSpan.FromSeconds(10);
        _pump = Task.Run(PumpAsync);
    }

    public void Enqueue(ManagemEmulator.SellerState state, EmulatedWebhook webhook, EmulatedEvent evt)
    {
        if (_emulator.NextDouble() < _emulator.Options.WebhookDropRate)
        {
            return; // lost in transit
        }

        var copies = _emulator.NextDouble() < _emulator.Options.WebhookDuplicateRate ? 2 : 1;
        for (var i = 0; i < copies; i++)
        {
            var delay = _emulator.Options.WebhookReorderWindow > TimeSpan.Zero
                ? TimeSpan.FromTicks((long)(_emulator.NextDouble() * _emulator.Options.WebhookReorderWindow.Ticks))
                : TimeSpan.Zero;
            _queue.Writer.TryWrite(new Delivery(state, webhook, evt, 1, delay));
        }
    }

    /// <summary>Sends one delivery now and reports the status code the endpoint answered (0 when unreachable).</summary>
    public async Task<(int StatusCode, int Milliseconds)> SendAsync(EmulatedWebhook webhook, EmulatedEvent evt, CancellationToken cancellationToken)
    {
        var body = JsonSerializer.SerializeToUtf8Bytes(new { id = evt.Id, type = evt.Type, createdAt = evt.CreatedAt, data = evt.Data }, ManagemEmulator.Json);
        using var request = new HttpRequestMessage(HttpMethod.Post, webhook.Url) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        foreach (var (name, value) in new StandardWebhookSigner(webhook.Secret).Headers(evt.Id, _emulator.Time.GetUtcNow(), body))
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        foreach (var (name, value) in webhook.AdditionalHeaders)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        var started = Stopwatch.GetTimestamp();
        try
        {
            using var response = await _http!.SendAsync(request, cancellationToken).ConfigureAwait(false);
            return ((int)response.StatusCode, (int)Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return (0, (int)Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }
    }

    private async Task PumpAsync()
    {
        var running = new List<Task>();
        try
        {
            await foreach (var delivery in _queue.Reader.ReadAllAsync(_stop.Token).ConfigureAwait(false))
            {
                Interlocked.Increment(ref _inFlight);
                running.Add(DeliverAsync(delivery));
                running.RemoveAll(t => t.IsCompleted);
            }
        }
        catch (OperationCanceledException)
        {
        }

        await Task.WhenAll(running).ConfigureAwait(false);
    }

    private async Task DeliverAsync(Delivery delivery)
    {
        try
        {
            if (delivery.Delay > TimeSpan.Zero)
            {
                await Task.Delay(delivery.Delay, _stop.Token).ConfigureAwait(false);
            }

            var (status, ms) = await SendAsync(delivery.Webhook, delivery.Event, _stop.Token).ConfigureAwait(false);
            var options = _emulator.Options;
            var retry = false;
            lock (delivery.State)
            {
                var webhook = delivery.Webhook;
                if (status is >= 200 and < 300)
                {
                    webhook.ConsecutiveFailures = 0;
                    webhook.LastSuccessAt = _emulator.Time.GetUtcNow();
                }
                else
                {
                    webhook.ConsecutiveFailures++;
                    webhook.LastFailureAt = _emulator.Time.GetUtcNow();
                    webhook.Failures.Add(new EmulatedWebhookFailure(_emulator.NextId("whf"), status, ms, status == 0 ? "Endpoint unreachable" : $"Endpoint answered {status}", $"har/{delivery.Event.Id}", _emulator.Time.GetUtcNow()));
                    if (webhook.ConsecutiveFailures >= webhook.MaxConsecutiveFailures)
                    {
                        webhook.Enabled = false;
                    }

                    retry = webhook.Enabled && delivery.Attempt < options.WebhookMaxAttempts;
                }
            }

            if (retry)
            {
                _queue.Writer.TryWrite(delivery with { Attempt = delivery.Attempt + 1, Delay = options.WebhookRetryDelay * delivery.Attempt });
            }
        }
        catch (OperationCanceledException)
        {
        }
        finally
        {
            Interlocked.Decrement(ref _inFlight);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        _queue.Writer.TryComplete();
        if (_pump is not null)
        {
            await _pump.ConfigureAwait(false);
        }

        _stop.Dispose();
    }

    private sealed record Delivery(ManagemEmulator.SellerState State, EmulatedWebhook Webhook, EmulatedEvent Event, int Attempt, TimeSpan Delay);
}
