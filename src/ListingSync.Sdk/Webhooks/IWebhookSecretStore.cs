using ListingSync.Sdk.Model;

namespace ListingSync.Sdk.Webhooks;

/// <summary>Where the endpoint finds the active secrets of a channel and seller. Called on every delivery: keep it fast (cache).</summary>
public interface IWebhookSecretStore
{
    /// <summary>The active secrets (several while one is rotated); empty when none is configured, and verification then fails closed.</summary>
    IReadOnlyList<WebhookSecret> GetSecrets(string channel, SellerScope seller);
}
