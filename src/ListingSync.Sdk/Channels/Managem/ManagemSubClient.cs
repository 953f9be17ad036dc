using ListingSync.Sdk.Channels.Managem.Wire;
using ListingSync.Sdk.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace ListingSync.Sdk.Channels.Managem;

/// <summary>
/// What the focused Managem clients (<see cref="ManagemClient.Seller"/>, <see cref="ManagemClient.Items"/>,
/// <see cref="ManagemClient.Listings"/>, <see cref="ManagemClient.Webhooks"/>, <see cref="ManagemClient.ImportJobs"/>)
/// share: one HTTP pipeline and the options. Derive from a sub-client, not from this, to substitute one in a test.
/// </summary>
public abstract class ManagemSubClient
{
    private protected static readonly ManagemJsonContext Json = ManagemJsonContext.Default;
    private protected readonly ChannelHttp _http = null!;
    private protected readonly IOptionsMonitor<ManagemClientOptions> _options = null!;
    private protected readonly ILogger _logger = NullLogger.Instance;

    private protected ManagemSubClient(ChannelHttp http, IOptionsMonitor<ManagemClientOptions> options, ILogger logger)
    {
        _http = http;
        _options = options;
        _logger = logger;
    }

    /// <summary>For test doubles of the sub-clients.</summary>
    protected ManagemSubClient()
    {
    }

    private protected ManagemClientOptions Options => _options.CurrentValue;
}
