using ListingSync.Sdk.Http;

namespace ListingSync.Sdk.Channels.Jtl;

/// <summary>
/// Options of the JTL Channel API client (section <c>ListingSync:Jtl</c>). The host is the marketplace ("channel"):
/// it authenticates with the channel's refresh token, pulls the sellers' events and reports back.
/// </summary>
public sealed class JtlClientOptions : ChannelClientOptions
{
    /// <summary>The channel name used in mappings, events and telemetry.</summary>
    public const string ChannelName = "jtl";

    /// <summary>The default configuration section.</summary>
    public const string DefaultSection = "ListingSync:Jtl";

    /// <summary>JTL's sandbox.</summary>
    public static readonly Uri SandboxBaseAddress = new("https://scx-sbx.api.jtl-software.com/");

    /// <summary>JTL's production API.</summary>
    public static readonly Uri ProductionBaseAddress = new("https://scx.api.jtl-software.com/");

    /// <summary>
    /// Creates the options with JTL's production API as the base address (set <see cref="SandboxBaseAddress"/> to test
    /// against the sandbox) and JTL's documented production limits per 60-second window as the client-side limits.
    /// </summary>
    public JtlClientOptions()
    {
        BaseAddress = ProductionBaseAddress;
        RateLimit = PerMinute(10);
        RateLimitGroups["channel"] = PerMinute(60);
        RateLimitGroups["channel/event"] = PerMinute(240);
        RateLimitGroups["channel/order"] = PerMinute(600);
        RateLimitGroups["channel/offer"] = PerMinute(1500);
        RateLimitGroups["channel/offer/all"] = PerMinute(60);
    }

    /// <summary>A limit of <paramref name="requests"/> per <paramref name="window"/> (default one minute), as a burst and a steady rate.</summary>
    public static Resilience.RateLimitOptions PerMinute(int requests, TimeSpan? window = null) => new()
    {
        Burst = requests,
        PermitsPerSecond = requests / (window ?? TimeSpan.FromMinutes(1)).TotalSeconds,
    };

    /// <summary>The channel's refresh token, exchanged at <c>POST /v1/auth</c> for a session token.</summary>
    public string? RefreshToken { get; set; }

    /// <summary>Renew the session token this long before it expires. Default 5 minutes.</summary>
    public TimeSpan RenewBefore { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>The verb that acknowledges processed events: <c>DELETE</c> (default) or <c>PATCH</c> (one JTL page says so).</summary>
    public string AcknowledgeVerb { get; set; } = "DELETE";

    /// <summary>The most events JTL returns per pull: its reference caps <c>eventList</c> at 100.</summary>
    public const int MaxEventsPerPull = 100;

    /// <summary>The most event ids one acknowledgement carries (JTL's reference: 100); longer lists are split.</summary>
    public const int MaxAcknowledgementsPerCall = 100;

    /// <summary>
    /// Events per pull, 1..100 (JTL returns at most 100). Default 100. A pull that returns this many is full: the poller
    /// pulls again at once instead of waiting <see cref="PollInterval"/>.
    /// </summary>
    public int EventLimit { get; set; } = MaxEventsPerPull;

    /// <summary>Only events of these types are pulled (JTL's <c>eventTypeFilter</c>, sent comma-separated); empty: every type.</summary>
    public IList<string> EventTypeFilter { get; } = [];

    /// <summary>Only events created after this moment are pulled (JTL's <c>createdAfter</c>); null: every unacknowledged event.</summary>
    public DateTimeOffset? EventsCreatedAfter { get; set; }

    /// <summary>How often the poller pulls when the last pull was not full. Default 60 s (JTL: "about once a minute").</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(60);
}
