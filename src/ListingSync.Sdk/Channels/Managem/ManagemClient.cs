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

/// <summary>
/// The Managem seller API, one focused client per area sharing one HTTP pipeline (resilience, rate limit, per-request
/// credentials): <see cref="Seller"/>, <see cref="Items"/>, <see cref="Listings"/>, <see cref="Webhooks"/> and
/// <see cref="ImportJobs"/>. Every call is seller-scoped. Register with <c>services.AddListingSync().AddManagem(...)</c>;
/// the instance is a typed <see cref="HttpClient"/> client and safe to share. For tests, derive from it (or from a
/// sub-client) through the protected constructors and override the virtual members.
/// </summary>
public class ManagemClient
{
    private readonly IOptionsMonitor<ManagemClientOptions> _options = null!;

    /// <summary>Creates the client; use dependency injection rather than calling this directly.</summary>
    public ManagemClient(HttpClient httpClient, IOptionsMonitor<ManagemClientOptions> options, ILogger<ManagemClient>? logger = null, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(httpClient);
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        var log = (ILogger?)logger ?? NullLogger.Instance;
        var http = new ChannelHttp(httpClient, ManagemClientOptions.ChannelName, ManagemListingsClient.ParseError, log, timeProvider ?? TimeProvider.System);
        Seller = new ManagemSellerClient(http, options, log);
        Items = new ManagemItemsClient(http, options, log);
        Listings = new ManagemListingsClient(http, options, log);
        Webhooks = new ManagemWebhooksClient(http, options, log);
        ImportJobs = new ManagemImportsClient(http, options, log);
    }

    /// <summary>For mocking frameworks and test doubles only: the sub-clients are null unless the derived class sets them.</summary>
    protected ManagemClient()
    {
        Seller = null!;
        Items = null!;
        Listings = null!;
        Webhooks = null!;
        ImportJobs = null!;
    }

    /// <summary>The seller's account and status.</summary>
    public virtual ManagemSellerClient Seller { get; }

    /// <summary>Catalogue item lookups.</summary>
    public virtual ManagemItemsClient Items { get; }

    /// <summary>The seller's listings.</summary>
    public virtual ManagemListingsClient Listings { get; }

    /// <summary>Webhook endpoints.</summary>
    public virtual ManagemWebhooksClient Webhooks { get; }

    /// <summary>CSV import jobs.</summary>
    public virtual ManagemImportsClient ImportJobs { get; }

    internal ManagemClientOptions Options => _options.CurrentValue;
}
