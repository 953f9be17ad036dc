using System.Globalization;
using System.Net.Http.Json;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using ListingSync.Sdk.Channels.Managem.Wire;
using ListingSync.Sdk.Http;
using ListingSync.Sdk.Model;
using ListingSync.Sdk.Telemetry;
using ListingSync.Sdk.Validation;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace ListingSync.Sdk.Channels.Managem;

/// <summary>Webhook endpoints: create, list, get, update, subscriptions, delete, test delivery, failures.</summary>
/// <remarks>
/// Reached through <see cref="ManagemClient"/> (<c>client.Webhooks</c>); shares its HTTP pipeline (resilience, rate limit,
/// credentials). Members are virtual and the protected constructor exists so tests can substitute it.
/// </remarks>
public class ManagemWebhooksClient : ManagemSubClient
{
    internal ManagemWebhooksClient(ChannelHttp http, IOptionsMonitor<ManagemClientOptions> options, ILogger logger)
        : base(http, options, logger)
    {
    }

    /// <summary>For mocking frameworks and test doubles only.</summary>
    protected ManagemWebhooksClient()
    {
    }


    /// <summary>Registers a webhook endpoint. Not retried on ambiguous failures (a repeat would register two): list before creating again.</summary>
    /// <exception cref="ListingSyncValidationException">URL, subscriptions or description break a rule.</exception>
    public virtual async Task<ManagemWebhook> CreateAsync(SellerScope seller, ManagemWebhookCreateRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ValidateWebhook(request.Url, request.Subscriptions, request.Description, requireSubscriptions: true);
        return (await _http.SendAsync(ChannelHttp.Request(HttpMethod.Post, "seller/webhooks", "webhooks.create", seller, idempotent: false, JsonContent.Create(request, Json.ManagemWebhookCreateRequest)), Json.ManagemWebhook, cancellationToken).ConfigureAwait(false))!;
    }

    /// <summary>Lists the seller's webhook endpoints.</summary>
    public virtual async Task<IReadOnlyList<ManagemWebhook>> ListAsync(SellerScope seller, CancellationToken cancellationToken = default) =>
        await _http.SendAsync(ChannelHttp.Request(HttpMethod.Get, "seller/webhooks", "webhooks.list", seller, idempotent: true), Json.ListManagemWebhook, cancellationToken).ConfigureAwait(false) ?? [];

    /// <summary>Reads one webhook endpoint; null when it does not exist.</summary>
    public virtual Task<ManagemWebhook?> GetAsync(SellerScope seller, string webhookId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(webhookId);
        return _http.SendAsync(ChannelHttp.Request(HttpMethod.Get, $"seller/webhooks/{Uri.EscapeDataString(webhookId)}", "webhooks.get", seller, idempotent: true), Json.ManagemWebhook, cancellationToken, notFoundIsNull: true);
    }

    /// <summary>Changes a webhook endpoint (<c>PATCH</c>). Idempotent, so retried.</summary>
    public virtual async Task<ManagemWebhook> UpdateAsync(SellerScope seller, string webhookId, ManagemWebhookUpdateRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(webhookId);
        ArgumentNullException.ThrowIfNull(request);
        ValidateWebhook(request.Url, request.Subscriptions, request.Description, requireSubscriptions: false);
        return (await _http.SendAsync(ChannelHttp.Request(HttpMethod.Patch, $"seller/webhooks/{Uri.EscapeDataString(webhookId)}", "webhooks.update", seller, idempotent: true, JsonContent.Create(request, Json.ManagemWebhookUpdateRequest)), Json.ManagemWebhook, cancellationToken).ConfigureAwait(false))!;
    }

    /// <summary>Replaces a webhook's subscriptions (<c>PUT .../subscriptions</c>). Idempotent.</summary>
    public virtual async Task<ManagemWebhook> SetSubscriptionsAsync(SellerScope seller, string webhookId, IReadOnlyList<string> events, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(webhookId);
        ValidateWebhook(null, events, null, requireSubscriptions: true);
        var body = JsonContent.Create(new WireSubscriptions { Events = [.. events] }, Json.WireSubscriptions);
        return (await _http.SendAsync(ChannelHttp.Request(HttpMethod.Put, $"seller/webhooks/{Uri.EscapeDataString(webhookId)}/subscriptions", "webhooks.subscriptions", seller, idempotent: true, body), Json.ManagemWebhook, cancellationToken).ConfigureAwait(false))!;
    }

    /// <summary>Deletes a webhook endpoint. Idempotent: false when it was already gone.</summary>
    public virtual async Task<bool> DeleteAsync(SellerScope seller, string webhookId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(webhookId);
        var status = await _http.SendAsync(ChannelHttp.Request(HttpMethod.Delete, $"seller/webhooks/{Uri.EscapeDataString(webhookId)}", "webhooks.delete", seller, idempotent: true), cancellationToken, notFoundIsOk: true).ConfigureAwait(false);
        return status != System.Net.HttpStatusCode.NotFound;
    }

    /// <summary>Sends a test delivery and returns the status code the endpoint answered; go live only on 200.</summary>
    public virtual async Task<ManagemWebhookTestResult> TestAsync(SellerScope seller, string webhookId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(webhookId);
        return (await _http.SendAsync(ChannelHttp.Request(HttpMethod.Post, $"seller/webhooks/{Uri.EscapeDataString(webhookId)}/test", "webhooks.test", seller, idempotent: true), Json.ManagemWebhookTestResult, cancellationToken).ConfigureAwait(false))!;
    }

    /// <summary>Lists recent failed deliveries of a webhook endpoint.</summary>
    /// <param name="seller">The seller.</param>
    /// <param name="webhookId">The endpoint.</param>
    /// <param name="limit">How many, 1 to 100. Default 20.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="ListingSyncValidationException"><paramref name="limit"/> is outside 1..100.</exception>
    public virtual async Task<IReadOnlyList<ManagemWebhookFailure>> ListFailuresAsync(SellerScope seller, string webhookId, int limit = 20, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(webhookId);
        if (limit is < 1 or > 100)
        {
            throw new ListingSyncValidationException([new FieldError("limit", "range", $"must be between 1 and 100 (was {limit})")]);
        }

        var path = $"seller/webhooks/{Uri.EscapeDataString(webhookId)}/failures?limit={limit.ToString(CultureInfo.InvariantCulture)}";
        var response = await _http.SendAsync(ChannelHttp.Request(HttpMethod.Get, path, "webhooks.failures", seller, idempotent: true), Json.WireFailures, cancellationToken).ConfigureAwait(false);
        return response?.Failures ?? [];
    }

    private static void ValidateWebhook(string? url, IReadOnlyList<string>? subscriptions, string? description, bool requireSubscriptions)
    {
        var errors = new List<FieldError>();
        if (url is not null && (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp)))
        {
            errors.Add(new FieldError("url", "absolute-http-url", $"must be an absolute http(s) URL (was '{url}')"));
        }

        if ((requireSubscriptions || subscriptions is not null) && (subscriptions is null || subscriptions.Count == 0))
        {
            errors.Add(new FieldError("subscriptions", "min-count", "must name at least one event type, e.g. LISTING_CREATED"));
        }
        else if (subscriptions is not null && subscriptions.Any(string.IsNullOrWhiteSpace))
        {
            errors.Add(new FieldError("subscriptions", "no-empty-entries", "must not contain empty event types"));
        }

        if (description is { Length: > ManagemValidator.MaxWebhookDescription })
        {
            errors.Add(new FieldError("description", "max-length", $"must be at most {ManagemValidator.MaxWebhookDescription} characters (was {description.Length})"));
        }

        if (errors.Count > 0)
        {
            throw new ListingSyncValidationException(errors);
        }
    }
}
