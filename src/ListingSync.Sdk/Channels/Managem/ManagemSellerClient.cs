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

/// <summary>The seller's account and status (<c>GET /seller</c>, <c>GET /seller/status</c>).</summary>
/// <remarks>
/// Reached through <see cref="ManagemClient"/> (<c>client.Seller</c>); shares its HTTP pipeline (resilience, rate limit,
/// credentials). Members are virtual and the protected constructor exists so tests can substitute it.
/// </remarks>
public class ManagemSellerClient : ManagemSubClient
{
    internal ManagemSellerClient(ChannelHttp http, IOptionsMonitor<ManagemClientOptions> options, ILogger logger)
        : base(http, options, logger)
    {
    }

    /// <summary>For mocking frameworks and test doubles only.</summary>
    protected ManagemSellerClient()
    {
    }


    /// <summary>The seller's account (<c>GET /seller</c>).</summary>
    public virtual async Task<ManagemSellerAccount> GetAccountAsync(SellerScope seller, CancellationToken cancellationToken = default) =>
        (await _http.SendAsync(ChannelHttp.Request(HttpMethod.Get, "seller", "seller.get", seller, idempotent: true), Json.ManagemSellerAccount, cancellationToken).ConfigureAwait(false))!;

    /// <summary>Whether the connected user has a seller account that can sell (<c>GET /seller/status</c>).</summary>
    public virtual async Task<ManagemSellerStatus> GetStatusAsync(SellerScope seller, CancellationToken cancellationToken = default) =>
        (await _http.SendAsync(ChannelHttp.Request(HttpMethod.Get, "seller/status", "seller.status", seller, idempotent: true), Json.ManagemSellerStatus, cancellationToken).ConfigureAwait(false))!;
}
