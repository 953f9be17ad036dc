using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using ListingSync.Sdk.Channels.Managem;
using ListingSync.Sdk.DependencyInjection;
using ListingSync.Sdk.Mapping;
using ListingSync.Sdk.Model;
using ListingSync.Sdk.Testing;
using ListingSync.Sdk.Testing.Managem;
using ListingSync.Sdk.Webhooks;
using Microsoft.Extensions.DependencyInjection;

namespace ListingSync.Sdk.Tests.Webhooks;

/// <summary>Records what the handlers saw; a singleton shared by the per-scope handlers.</summary>
internal sealed class HandlerLog
{
    public ConcurrentQueue<ListingEvent> Handled { get; } = new();

    public ConcurrentDictionary<string, int> Attempts { get; } = new();

    public int FailuresBeforeSuccess { get; set; }

    public TaskCompletionSource Gate { get; set; } = CompletedGate();

    public TaskCompletionSource Entered { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public static TaskCompletionSource CompletedGate()
    {
        var gate = new TaskCompletionSource();
        gate.SetResult();
        return gate;
    }
}

internal sealed class RecordingHandler(HandlerLog log) : IListingEventHandler
{
    public async Task HandleAsync(ListingEvent listingEvent, CancellationToken cancellationToken)
    {
        log.Entered.TrySetResult();
        await log.Gate.Task.WaitAsync(cancellationToken);
        var attempt = log.Attempts.AddOrUpdate(listingEvent.EventId, 1, (_, n) => n + 1);
        if (attempt <= log.FailuresBeforeSuccess)
        {
            throw new InvalidOperationException($"handler failure {attempt} for {listingEvent.EventId}");
        }

        log.Handled.Enqueue(listingEvent);
    }
}

public class EndpointTests
{
    private static readonly ListingEventKind[] AllKinds = Enum.GetValues<ListingEventKind>();

    private static Task<WebhookTestHost> StartRecordingHostAsync(HandlerLog log, Action<WebhookOptions>? configure = null) =>
        WebhookTestHost.StartAsync(
            o =>
            {
                o.UseDefaultHandlers = false;
                configure?.Invoke(o);
            },
            sync =>
            {
                sync.Services.AddSingleton(log);
                sync.AddEventHandler<RecordingHandler>(AllKinds);
            },
            withEmulator: false);

    private static string Trust(WebhookTestHost host)
    {
        var secret = StandardWebhookSigner.NewSecret();
        host.Secrets.Set(ManagemClientOptions.ChannelName, WebhookTestHost.Seller, WebhookSecret.FromStandardWebhooks(secret));
        return secret;
    }

    [Fact]
    public async Task A_verified_delivery_is_answered_200_before_its_slow_handler_finishes()
    {
        var log = new HandlerLog { Gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously) };
        await using var host = await StartRecordingHostAsync(log);
        var secret = Trust(host);

        using var request = new SignedWebhookBuilder(secret).ListingCreated("lst_1", "urn:managem:pokemon:set/151/card/25").ToRequest(host.Endpoint);
        using var response = await host.Http.SendAsync(request);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        await log.Entered.Task.WaitAsync(TimeSpan.FromSeconds(10));
        log.Handled.ShouldBeEmpty("the handler is still blocked, yet the marketplace already has its 200");
        host.Inbox.Pending.ShouldBe(1);

        log.Gate.SetResult();
        await host.WaitForInboxAsync();
        var handled = log.Handled.ShouldHaveSingleItem();
        handled.Kind.ShouldBe(ListingEventKind.ListingCreated);
        handled.ListingId.ShouldBe("lst_1");
        handled.Seller.ShouldBe(WebhookTestHost.Seller, "the seller comes from the {seller} route value");
    }

    [Fact]
    public async Task Bad_signatures_missing_secrets_and_malformed_payloads_get_401_and_400()
    {
        var log = new HandlerLog();
        await using var host = await StartRecordingHostAsync(log);

        // No secret configured yet: fails closed.
        var secret = StandardWebhookSigner.NewSecret();
        using (var response = await host.Http.SendAsync(new SignedWebhookBuilder(secret).ToRequest(host.Endpoint)))
        {
            response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        }

        Trust(host);

        // Signed with a secret the host does not hold.
        using (var response = await host.Http.SendAsync(new SignedWebhookBuilder(secret).ToRequest(host.Endpoint)))
        {
            response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
            (await response.Content.ReadAsStringAsync()).ShouldBeEmpty("a caller without the secret learns nothing");
        }

        // No signature headers at all.
        using (var response = await host.Http.PostAsync(host.Endpoint, new StringContent("{\"id\":\"evt_1\",\"type\":\"TEST\"}", Encoding.UTF8, "application/json")))
        {
            response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        }

        host.Inbox.Pending.ShouldBe(0);
        log.Handled.ShouldBeEmpty();
    }

    [Theory]
    [InlineData("{\"id\":\"evt_1\",\"type\":", "not valid JSON")]
    [InlineData("[1,2]", "JSON object")]
    [InlineData("{\"type\":\"LISTING_CREATED\"}", "'id'")]
    [InlineData("{\"id\":42,\"type\":\"LISTING_CREATED\"}", "'id' must be a string")]
    [InlineData("{\"id\":\"evt_1\",\"type\":\"LISTING_CREATED\",\"data\":{\"listing\":{\"id\":\"lst_1\",\"price\":\"cheap\"}}}", "whole number")]
    public async Task A_verified_but_malformed_payload_gets_400_with_the_reason(string body, string reason)
    {
        var log = new HandlerLog();
        await using var host = await StartRecordingHostAsync(log);
        var secret = Trust(host);

        using var response = await host.Http.SendAsync(new SignedWebhookBuilder(secret).WithRawBody(body).ToRequest(host.Endpoint));

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        problem.RootElement.GetProperty("detail").GetString()!.ShouldContain(reason);
        host.Inbox.Pending.ShouldBe(0);
    }

    [Fact]
    public async Task Bodies_above_the_cap_get_413_whether_or_not_they_declare_their_length()
    {
        var log = new HandlerLog();
        await using var host = await StartRecordingHostAsync(log, o => o.MaxBodyBytes = 1024);
        var secret = Trust(host);

        // Declared length above the cap.
        using (var response = await host.Http.PostAsync(host.Endpoint, new ByteArrayContent(new byte[1025])))
        {
            response.StatusCode.ShouldBe(HttpStatusCode.RequestEntityTooLarge);
        }

        // Chunked, no declared length: stopped while reading.
        var chunked = new StreamContent(new MemoryStream(new byte[64 * 1024]));
        using (var request = new HttpRequestMessage(HttpMethod.Post, host.Endpoint) { Content = chunked })
        {
            request.Headers.TransferEncodingChunked = true;
            using var response = await host.Http.SendAsync(request);
            response.StatusCode.ShouldBe(HttpStatusCode.RequestEntityTooLarge);
        }

        // Exactly at the cap, signed: accepted.
        var prefix = "{\"id\":\"evt_cap\",\"type\":\"TEST\",\"pad\":\"";
        var body = prefix + new string('x', 1024 - prefix.Length - 2) + "\"}";
        Encoding.UTF8.GetByteCount(body).ShouldBe(1024);
        using (var response = await host.Http.SendAsync(new SignedWebhookBuilder(secret).WithId("evt_cap").WithRawBody(body).ToRequest(host.Endpoint)))
        {
            response.StatusCode.ShouldBe(HttpStatusCode.OK);
        }

        await host.WaitForInboxAsync();
        log.Handled.ShouldHaveSingleItem().Kind.ShouldBe(ListingEventKind.Test);
    }

    [Fact]
    public async Task A_duplicate_delivery_is_answered_200_and_handled_once_even_when_re_signed_later()
    {
        var log = new HandlerLog();
        await using var host = await StartRecordingHostAsync(log);
        var secret = Trust(host);
        var builder = new SignedWebhookBuilder(secret).WithId("evt_dup").ListingCreated("lst_1", "urn:managem:pokemon:set/151/card/25");

        for (var i = 0; i < 3; i++)
        {
            // A retry from the marketplace carries the same id with a fresh timestamp and signature.
            using var response = await host.Http.SendAsync(builder.WithTimestamp(DateTimeOffset.UtcNow.AddSeconds(i)).ToRequest(host.Endpoint));
            response.StatusCode.ShouldBe(HttpStatusCode.OK);
        }

        await host.WaitForInboxAsync();
        log.Handled.ShouldHaveSingleItem().EventId.ShouldBe("evt_dup");
    }

    [Fact]
    public async Task Unknown_and_test_event_types_are_accepted_not_errors()
    {
        var log = new HandlerLog();
        await using var host = await StartRecordingHostAsync(log);
        var secret = Trust(host);

        foreach (var (id, type) in new[] { ("evt_a", "LISTING_ARCHIVED"), ("evt_b", "TEST_WEBHOOK"), ("evt_c", "TEST") })
        {
            using var response = await host.Http.SendAsync(new SignedWebhookBuilder(secret).WithId(id).Event(type, new { note = "x" }).ToRequest(host.Endpoint));
            response.StatusCode.ShouldBe(HttpStatusCode.OK, type);
        }

        await host.WaitForInboxAsync();
        log.Handled.OrderBy(e => e.EventId).Select(e => e.Kind).ShouldBe([ListingEventKind.Unknown, ListingEventKind.Test, ListingEventKind.Test]);
        log.Handled.Single(e => e.EventId == "evt_a").Type.ShouldBe("LISTING_ARCHIVED");
    }

    [Fact]
    public async Task A_throwing_handler_loses_nothing_it_is_retried_then_kept_as_a_dead_letter()
    {
        var log = new HandlerLog { FailuresBeforeSuccess = 2 };
        await using var host = await StartRecordingHostAsync(log, o => o.Inbox.MaxAttempts = 3);
        var secret = Trust(host);

        using (var response = await host.Http.SendAsync(new SignedWebhookBuilder(secret).WithId("evt_flaky").ToRequest(host.Endpoint)))
        {
            response.StatusCode.ShouldBe(HttpStatusCode.OK, "the handler's trouble is not the marketplace's");
        }

        await host.WaitForInboxAsync();
        log.Attempts["evt_flaky"].ShouldBe(3);
        log.Handled.ShouldHaveSingleItem().EventId.ShouldBe("evt_flaky");
        (await host.Inbox.GetDeadLettersAsync()).ShouldBeEmpty();

        // Failing on every attempt: a dead letter with its error, and back in the queue on request.
        log.FailuresBeforeSuccess = 100;
        using (var response = await host.Http.SendAsync(new SignedWebhookBuilder(secret).WithId("evt_broken").ToRequest(host.Endpoint)))
        {
            response.StatusCode.ShouldBe(HttpStatusCode.OK);
        }

        await host.WaitForInboxAsync();
        var dead = (await host.Inbox.GetDeadLettersAsync()).ShouldHaveSingleItem();
        dead.Event.EventId.ShouldBe("evt_broken");
        dead.Attempt.ShouldBe(3);
        dead.LastError!.Message.ShouldContain("handler failure 3");

        log.FailuresBeforeSuccess = 0;
        (await host.Inbox.RequeueDeadLettersAsync()).ShouldBe(1);
        await host.WaitForInboxAsync();
        log.Handled.Select(e => e.EventId).ShouldBe(["evt_flaky", "evt_broken"]);
        (await host.Inbox.GetDeadLettersAsync()).ShouldBeEmpty();
    }

    [Fact]
    public async Task A_channel_without_a_parser_is_refused_by_name()
    {
        var log = new HandlerLog();
        await using var host = await StartRecordingHostAsync(log);
        var receiver = host.Services.GetRequiredService<WebhookReceiver>();

        var receipt = await receiver.ReceiveAsync("shopiro", WebhookTestHost.Seller, WebhookHeaders.From([]), "{}"u8.ToArray());

        receipt.Status.ShouldBe(WebhookReceiptStatus.UnknownChannel);
        receipt.Reason!.ShouldContain("shopiro");
    }
}
