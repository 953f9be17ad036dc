using ListingSync.Sdk.Http;

namespace ListingSync.Sdk.Channels.Instica;

/// <summary>Options of the Instica client (section <c>ListingSync:Instica</c>).</summary>
public sealed class InsticaClientOptions : ChannelClientOptions
{
    /// <summary>The channel name; a listing channel per platform is named <c>instica:&lt;slug&gt;</c>, e.g. <c>instica:ebay</c>.</summary>
    public const string ChannelName = "instica";

    /// <summary>The default configuration section.</summary>
    public const string DefaultSection = "ListingSync:Instica";

    /// <summary>Instica's API (<c>https://app.instica.com/api/v1/</c>, instica.com/docs/api/).</summary>
    public static readonly Uri ProductionBaseAddress = new("https://app.instica.com/");

    /// <summary>Creates the options with Instica's address and the shared pipeline's defaults.</summary>
    public InsticaClientOptions() => BaseAddress = ProductionBaseAddress;

    /// <summary>
    /// Items per inventory page while scanning (<c>page_size</c>, documented maximum 100). Default 100: fewest calls.
    /// </summary>
    public int PageSize { get; set; } = 100;

    /// <summary>
    /// Inventory items per bulk list / delist call (<c>uids</c>). Instica documents no maximum; default 100, the
    /// documented page maximum, as a conservative size.
    /// </summary>
    public int BulkSize { get; set; } = 100;

    /// <summary>
    /// Calls in flight at once for per-item work (inventory creates, reads by uid), bulk list calls and the pages a scan
    /// reads ahead. The rate limit sets the pace; this only has to be high enough to keep up with it. Default 8 (at
    /// 150 requests/s and answers of ~30 ms, 4 in flight fell short).
    /// </summary>
    public int MaxConcurrency { get; set; } = 8;

    /// <summary>
    /// How long a missing prerequisite (402 / 400 on a listing call: subscription, primary address, connection) is
    /// remembered per seller, so later writes in the same run are refused without being sent. Default 5 minutes.
    /// </summary>
    public TimeSpan PrerequisiteMemory { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// The path of the seller's connected marketplace accounts (the <c>seller_account_uid</c>s an import job names).
    /// Not in Instica's public reference: an assumption, set it when Instica documents the call. A 404 there reports
    /// every connection as <see cref="InsticaConnectionState.Unknown"/>.
    /// </summary>
    public string SellerAccountsPath { get; set; } = "api/v1/marketplace/accounts/";

    /// <summary>
    /// The language key of an item's one name and description in the SDK's per-language <c>Titles</c> and
    /// <c>Descriptions</c> (Instica keeps one of each, in no stated language). Default <c>en</c>.
    /// </summary>
    public string TitleLanguage { get; set; } = "en";

    /// <summary>The API key header (the overview: <c>X-API-Key</c>); used when the credential is an API key.</summary>
    internal override string? ApiKeyHeaderName => "X-API-Key";
}
