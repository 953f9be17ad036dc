using ListingSync.Sdk.Model;

namespace ListingSync.Sdk.Http;

/// <summary>
/// Supplies credentials per request, so tokens can rotate without a restart and several sellers can share
/// one client. Register your own (e.g. reading a vault) to replace the options-based default; return null to
/// fall back to the channel's configured credentials.
/// </summary>
public interface ICredentialProvider
{
    /// <summary>Returns the credential for <paramref name="seller"/> on <paramref name="channel"/>, or null to use the configured one.</summary>
    ValueTask<ChannelCredential?> GetCredentialAsync(string channel, SellerScope seller, CancellationToken cancellationToken = default);
}
