using ListingSync.Sdk.Http;

namespace ListingSync.Sdk.Channels.Shopiro;

/// <summary>Options of the Shopiro client (section <c>ListingSync:Shopiro</c>).</summary>
public sealed class ShopiroClientOptions : ChannelClientOptions
{
    /// <summary>The channel name used in mappings, events and telemetry.</summary>
    public const string ChannelName = "shopiro";

    /// <summary>The default configuration section.</summary>
    public const string DefaultSection = "ListingSync:Shopiro";

    /// <summary>Shopiro's API (seed 003: <c>https://shopiro.ca/api/v1/…</c>).</summary>
    public static readonly Uri ProductionBaseAddress = new("https://shopiro.ca/");

    /// <summary>Creates the options with Shopiro's address and the shared pipeline's defaults (Shopiro documents no rate limit).</summary>
    public ShopiroClientOptions() => BaseAddress = ProductionBaseAddress;

    /// <summary>How <c>listing</c> travels (the seed leaves it open). Default <see cref="ShopiroRequestEncoding.Form"/>.</summary>
    public ShopiroRequestEncoding RequestEncoding { get; set; } = ShopiroRequestEncoding.Form;

    /// <summary>
    /// The <c>lid</c> sent with <c>san</c> (save as new) when creating: the seed makes <c>lid</c> required and says
    /// nothing of its value for a new listing. Default <c>new</c>.
    /// </summary>
    public string NewListingId { get; set; } = "new";

    /// <summary>
    /// The zone of <c>creation_date</c>, which Shopiro sends without one. Default <c>America/Toronto</c> (Shopiro is a
    /// Canadian marketplace, shopiro.ca): an assumption, set it when Shopiro documents otherwise.
    /// </summary>
    public string CreationDateTimeZone { get; set; } = "America/Toronto";

    /// <summary>The currency of <c>metadata.price</c> (the seed: "Price of the item in USD").</summary>
    public string Currency { get; set; } = "USD";

    /// <summary>
    /// The warehouse new listings stock, as <c>country/subdivision/postal code</c> (e.g. <c>CA/CA-QC/G1W 2V7</c>), used
    /// when a draft has no quantity per location. Null: new listings carry no warehouse.
    /// </summary>
    public string? DefaultWarehouse { get; set; }

    /// <summary>Per-listing reads in flight at once when the reconciler plans from the mapping store. Default 8.</summary>
    public int MaxConcurrency { get; set; } = 8;
}
