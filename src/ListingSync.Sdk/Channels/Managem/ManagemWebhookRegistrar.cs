using ListingSync.Sdk.Model;
using ListingSync.Sdk.Webhooks;

namespace ListingSync.Sdk.Channels.Managem;

/// <summary>
/// Registers a webhook endpoint the way Managem recommends — create it disabled, send a test delivery, enable it only
/// when the endpoint answered 200 — and hands its secret to the <see cref="WebhookSecretStore"/> before the test, so the
/// test is verified like every later delivery. Idempotent: an endpoint already registered for the URL is reused (its
/// subscriptions brought up to date), never created twice.
/// </summary>
public sealed class ManagemWebhookRegistrar
{
    private readonly ManagemClient _client;
    private readonly WebhookSecretStore _secrets;

    /// <summary>Creates the registrar.</summary>
    public ManagemWebhookRegistrar(ManagemClient client, WebhookSecretStore secrets)
    {
        _client = client ?? throw new ArgumentNullException(nameof(client));
        _secrets = secrets ?? throw new ArgumentNullException(nameof(secrets));
    }

    /// <summary>Registers (or re-uses) the endpoint at <paramref name="url"/> for <paramref name="seller"/> and enables it.</summary>
    /// <param name="seller">The seller whose events are delivered.</param>
    /// <param name="url">The endpoint, e.g. <c>https://host/webhooks/managem/{seller}</c>.</param>
    /// <param name="subscriptions">The events; default <see cref="ManagemEventTypes.SyncSubscriptions"/>.</param>
    /// <param name="description">Shown in Managem's settings.</param>
    /// <param name="cancellationToken">Cancels the calls.</param>
    /// <returns>The enabled endpoint.</returns>
    /// <exception cref="WebhookRegistrationException">The test delivery did not answer 200; the endpoint stays disabled.</exception>
    public async Task<ManagemWebhook> RegisterAsync(SellerScope seller, Uri url, IReadOnlyList<string>? subscriptions = null, string? description = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(url);
        var events = subscriptions ?? ManagemEventTypes.SyncSubscriptions;
        var existing = (await _client.Webhooks.ListAsync(seller, cancellationToken).ConfigureAwait(false))
            .FirstOrDefault(w => string.Equals(w.Url, url.ToString(), StringComparison.Ordinal));
        var webhook = existing ?? await _client.Webhooks.CreateAsync(seller, new ManagemWebhookCreateRequest { Url = url.ToString(), Subscriptions = events, Enabled = false, Description = description }, cancellationToken).ConfigureAwait(false);
        if (existing is not null && !existing.Subscriptions.Order(StringComparer.Ordinal).SequenceEqual(events.Order(StringComparer.Ordinal), StringComparer.Ordinal))
        {
            webhook = await _client.Webhooks.SetSubscriptionsAsync(seller, webhook.Id, events, cancellationToken).ConfigureAwait(false);
        }

        var secret = webhook.Secret ?? (await _client.Webhooks.GetAsync(seller, webhook.Id, cancellationToken).ConfigureAwait(false))?.Secret;
        if (string.IsNullOrEmpty(secret))
        {
            throw new WebhookRegistrationException($"Managem returned no secret for webhook '{webhook.Id}', so its deliveries cannot be verified.", webhook.Id, statusCode: null);
        }

        _secrets.Set(ManagemClientOptions.ChannelName, seller, WebhookSecret.FromStandardWebhooks(secret));
        var test = await _client.Webhooks.TestAsync(seller, webhook.Id, cancellationToken).ConfigureAwait(false);
        if (!test.IsOk)
        {
            throw new WebhookRegistrationException(
                $"The test delivery to {url} answered {(test.StatusCode == 0 ? "nothing (unreachable)" : test.StatusCode.ToString(System.Globalization.CultureInfo.InvariantCulture))}, not 200; webhook '{webhook.Id}' stays disabled. Fix the endpoint and register again (the same endpoint is reused).",
                webhook.Id,
                test.StatusCode);
        }

        return webhook.Enabled
            ? webhook
            : await _client.Webhooks.UpdateAsync(seller, webhook.Id, new ManagemWebhookUpdateRequest { Enabled = true }, cancellationToken).ConfigureAwait(false);
    }
}
