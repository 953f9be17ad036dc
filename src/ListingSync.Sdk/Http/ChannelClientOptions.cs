using ListingSync.Sdk.Model;
using ListingSync.Sdk.Resilience;

namespace ListingSync.Sdk.Http;

/// <summary>Settings every channel client shares: address, credentials, resilience and rate limits.</summary>
public abstract class ChannelClientOptions
{
    /// <summary>The API's base address; each channel sets its production default.</summary>
    public Uri? BaseAddress { get; set; }

    /// <summary>
    /// The largest answer body read, in bytes; a longer one (announced or actual) is refused with a
    /// <see cref="ListingSyncRequestException"/> (code <c>response-too-large</c>) before it is buffered. Default 32 MB.
    /// </summary>
    public long MaxResponseBytes { get; set; } = 32L * 1024 * 1024;

    /// <summary>Bearer token of the default seller (<see cref="SellerScope.Default"/>).</summary>
    public string? AccessToken { get; set; }

    /// <summary>Personal access token of the default seller, sent as <c>Authorization: ApiKey &lt;token&gt;</c>.</summary>
    public string? ApiKey { get; set; }

    /// <summary>Credentials per seller id, for hosts that serve several sellers. Read on every request.</summary>
    public Dictionary<string, SellerCredentials> Sellers { get; } = new(StringComparer.Ordinal);

    /// <summary>Retries and timeouts.</summary>
    public ResilienceOptions Resilience { get; set; } = new();

    /// <summary>The client-side rate limit, per seller.</summary>
    public RateLimitOptions RateLimit { get; set; } = new();

    /// <summary>
    /// Limits for particular route groups (e.g. JTL's <c>channel/event</c>), per seller; groups not listed use
    /// <see cref="RateLimit"/>. Each group has its own limiter either way.
    /// </summary>
    public Dictionary<string, RateLimitOptions> RateLimitGroups { get; } = new(StringComparer.Ordinal);

    /// <summary>The header an API key travels in when not <c>Authorization: ApiKey</c> (Instica: <c>X-API-Key</c>).</summary>
    internal virtual string? ApiKeyHeaderName => null;

    /// <summary>The limit of <paramref name="group"/>.</summary>
    internal RateLimitOptions RateLimitFor(string group) => RateLimitGroups.TryGetValue(group, out var limit) ? limit : RateLimit;

    /// <summary>The configured credential for <paramref name="seller"/>, or null.</summary>
    internal ChannelCredential? FindCredential(SellerScope seller)
    {
        if (Sellers.TryGetValue(seller.SellerId ?? SellerScope.Default.SellerId, out var configured) && configured.ToCredential() is { } perSeller)
        {
            return perSeller;
        }

        if (seller == SellerScope.Default || seller.SellerId is null)
        {
            return new SellerCredentials { AccessToken = AccessToken, ApiKey = ApiKey }.ToCredential();
        }

        return null;
    }
}
