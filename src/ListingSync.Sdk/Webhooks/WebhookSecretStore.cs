using System.Collections.Concurrent;
using ListingSync.Sdk.Model;

namespace ListingSync.Sdk.Webhooks;

/// <summary>
/// Active webhook secrets kept in memory, set at start-up (from configuration) or when a webhook is registered
/// (Managem returns the secret on create). Thread-safe; readers see a snapshot.
/// </summary>
public sealed class WebhookSecretStore : IWebhookSecretStore
{
    private readonly ConcurrentDictionary<(string Channel, SellerScope Seller), WebhookSecret[]> _secrets = new();

    /// <inheritdoc />
    public IReadOnlyList<WebhookSecret> GetSecrets(string channel, SellerScope seller) =>
        _secrets.TryGetValue((channel, seller), out var secrets) ? secrets : [];

    /// <summary>Replaces the secrets of a channel and seller.</summary>
    public void Set(string channel, SellerScope seller, params WebhookSecret[] secrets)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(channel);
        ArgumentNullException.ThrowIfNull(secrets);
        _secrets[(channel, seller)] = [.. secrets];
    }

    /// <summary>Adds a secret beside the active ones (rotation: add the new, later <see cref="Set"/> only the new).</summary>
    public void Add(string channel, SellerScope seller, WebhookSecret secret)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(channel);
        ArgumentNullException.ThrowIfNull(secret);
        _secrets.AddOrUpdate((channel, seller), [secret], (_, existing) => [.. existing, secret]);
    }
}
