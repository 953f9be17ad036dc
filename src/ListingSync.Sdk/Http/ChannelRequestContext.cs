using ListingSync.Sdk.Model;

namespace ListingSync.Sdk.Http;

/// <summary>What the pipeline needs to know about a request: whose it is and whether it may be repeated.</summary>
internal sealed record ChannelRequestContext(string Operation, SellerScope Seller, bool Idempotent, string RateLimitGroup = "default", bool Replayable = true, string? Subject = null)
{
    public static readonly HttpRequestOptionsKey<ChannelRequestContext> Key = new("ListingSync.RequestContext");
}
