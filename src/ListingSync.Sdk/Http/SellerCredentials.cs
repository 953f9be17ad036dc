namespace ListingSync.Sdk.Http;

/// <summary>Configured credentials of one seller. Set one of the two.</summary>
public sealed class SellerCredentials
{
    /// <summary>Bearer token for calls on the seller's behalf.</summary>
    public string? AccessToken { get; set; }

    /// <summary>Personal access token, sent as <c>Authorization: ApiKey &lt;token&gt;</c>.</summary>
    public string? ApiKey { get; set; }

    internal ChannelCredential? ToCredential() =>
        !string.IsNullOrWhiteSpace(AccessToken) ? ChannelCredential.Bearer(AccessToken)
        : !string.IsNullOrWhiteSpace(ApiKey) ? ChannelCredential.ApiKey(ApiKey)
        : null;
}
