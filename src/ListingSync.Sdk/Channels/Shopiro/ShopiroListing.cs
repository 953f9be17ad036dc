using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace ListingSync.Sdk.Channels.Shopiro;

/// <summary>
/// A Shopiro marketplace low-volume listing, as the manage endpoint sends and takes it (seed 003's listing object).
/// Every level keeps the fields the SDK does not model in <c>Extra</c>, and fields whose shape Shopiro does not document
/// (<c>information</c>, <c>restrictions</c>, <c>custom_reference</c>) stay raw JSON, so a read-modify-write sends back
/// everything it read.
/// </summary>
public sealed record ShopiroListing
{
    /// <summary>The segment Shopiro's manage endpoint serves.</summary>
    public const string LowVolumeType = "marketplace_low_volume";

    /// <summary>The listing type, e.g. <c>marketplace_low_volume</c>.</summary>
    [JsonPropertyName("type")]
    public string? Type { get; init; }

    /// <summary>A more specific category within the type, if any.</summary>
    [JsonPropertyName("subtype")]
    public string? Subtype { get; init; }

    /// <summary>Dimensions, weight, handling time and the warehouses it ships from.</summary>
    [JsonPropertyName("shipping_data")]
    public ShopiroShippingData? ShippingData { get; init; }

    /// <summary>Quantity in total and per warehouse.</summary>
    [JsonPropertyName("inventory_data")]
    public ShopiroInventoryData? InventoryData { get; init; }

    /// <summary>Additional information (shape not documented; kept as sent).</summary>
    [JsonPropertyName("information")]
    public JsonElement? Information { get; init; }

    /// <summary>The listing type, again.</summary>
    [JsonPropertyName("listing_type")]
    public string? ListingType { get; init; }

    /// <summary>The listing's encoded id (<c>slid</c>), e.g. <c>SA03PRKYDQOA</c>.</summary>
    [JsonPropertyName("elistingid")]
    public string? EListingId { get; init; }

    /// <summary>Restrictions (shape not documented; kept as sent).</summary>
    [JsonPropertyName("restrictions")]
    public JsonElement? Restrictions { get; init; }

    /// <summary>The seller's own reference, as sent: an empty array when unset (seed 003's example), a string when set.</summary>
    [JsonPropertyName("custom_reference")]
    public JsonElement? CustomReferenceJson { get; init; }

    /// <summary>Categories by numeric key (<c>{"0": "clothing", "2": "shorts"}</c>).</summary>
    [JsonPropertyName("categories")]
    public Dictionary<string, string>? Categories { get; init; }

    /// <summary>The price history: a JSON document inside a string (<see cref="ReadPriceHistory"/> parses it).</summary>
    [JsonPropertyName("price_history")]
    public string? PriceHistory { get; init; }

    /// <summary>The creation date as sent: a local date-time without zone (<c>2023-11-01 14:34:01</c>); see <see cref="CreatedAt"/>.</summary>
    [JsonPropertyName("creation_date")]
    public string? CreationDate { get; init; }

    /// <summary>1 when the listing is a draft (not shown to buyers), else 0.</summary>
    [JsonPropertyName("is_draft")]
    public int? IsDraftFlag { get; init; }

    /// <summary>The seller's numeric id.</summary>
    [JsonPropertyName("sellerid")]
    public long? SellerId { get; init; }

    /// <summary>Titles by language (<c>en-CA</c> → title).</summary>
    [JsonPropertyName("titles")]
    public Dictionary<string, string?>? Titles { get; init; }

    /// <summary>Descriptions by language.</summary>
    [JsonPropertyName("descriptions")]
    public Dictionary<string, string?>? Descriptions { get; init; }

    /// <summary>Price (USD), available quantity, condition, pictures, minor variations.</summary>
    [JsonPropertyName("metadata")]
    public ShopiroMetadata? Metadata { get; init; }

    /// <summary>Fields this version of the SDK does not model, kept and sent back unchanged.</summary>
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Extra { get; set; }

    /// <summary>True when <see cref="IsDraftFlag"/> is 1.</summary>
    [JsonIgnore]
    public bool IsDraft => IsDraftFlag == 1;

    /// <summary>The host's reference kept in <c>custom_reference</c>, or null when unset (an empty array or an empty string).</summary>
    [JsonIgnore]
    public string? CustomReference => CustomReferenceJson is { ValueKind: JsonValueKind.String } text && text.GetString() is { Length: > 0 } value ? value : null;

    /// <summary>The creation date in <paramref name="zone"/> (Shopiro sends it without a zone).</summary>
    public DateTimeOffset? CreatedAt(TimeZoneInfo zone)
    {
        ArgumentNullException.ThrowIfNull(zone);
        if (CreationDate is null || !DateTime.TryParseExact(CreationDate, "yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture, DateTimeStyles.None, out var local))
        {
            return null;
        }

        return new DateTimeOffset(local, zone.GetUtcOffset(local));
    }

    /// <summary>Parses <see cref="PriceHistory"/> (a JSON document sent as a string); null when absent or not JSON.</summary>
    public JsonDocument? ReadPriceHistory()
    {
        if (string.IsNullOrWhiteSpace(PriceHistory))
        {
            return null;
        }

        try
        {
            return JsonDocument.Parse(PriceHistory);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}

/// <summary>Shipping data.</summary>
public sealed record ShopiroShippingData
{
    /// <summary>Length.</summary>
    [JsonPropertyName("x_dimension")]
    public decimal? XDimension { get; init; }

    /// <summary>Width.</summary>
    [JsonPropertyName("y_dimension")]
    public decimal? YDimension { get; init; }

    /// <summary>Height.</summary>
    [JsonPropertyName("z_dimension")]
    public decimal? ZDimension { get; init; }

    /// <summary>Weight.</summary>
    [JsonPropertyName("weight")]
    public decimal? Weight { get; init; }

    /// <summary>Handling time, domestic and international.</summary>
    [JsonPropertyName("handling_time")]
    public ShopiroHandlingTime? HandlingTime { get; init; }

    /// <summary>The warehouses it ships from, with their shipping methods.</summary>
    [JsonPropertyName("warehouses")]
    public List<ShopiroShippingWarehouse>? Warehouses { get; init; }

    /// <summary>Fields not modelled, kept.</summary>
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Extra { get; set; }
}

/// <summary>Handling time.</summary>
public sealed record ShopiroHandlingTime
{
    /// <summary>Domestic.</summary>
    [JsonPropertyName("domestic")]
    public int? Domestic { get; init; }

    /// <summary>International.</summary>
    [JsonPropertyName("international")]
    public int? International { get; init; }

    /// <summary>Fields not modelled, kept.</summary>
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Extra { get; set; }
}

/// <summary>A warehouse's location.</summary>
public record ShopiroWarehouseLocation
{
    /// <summary>ISO country.</summary>
    [JsonPropertyName("country")]
    public string? Country { get; init; }

    /// <summary>ISO 3166-2 subdivision, e.g. <c>CA-QC</c>.</summary>
    [JsonPropertyName("subdivision")]
    public string? Subdivision { get; init; }

    /// <summary>Postal code.</summary>
    [JsonPropertyName("postal_code")]
    public string? PostalCode { get; init; }

    /// <summary>Latitude.</summary>
    [JsonPropertyName("latitude")]
    public decimal? Latitude { get; init; }

    /// <summary>Longitude.</summary>
    [JsonPropertyName("longitude")]
    public decimal? Longitude { get; init; }

    /// <summary>Fields not modelled, kept.</summary>
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Extra { get; set; }

    /// <summary>The location as one key: <c>country/subdivision/postal code</c>.</summary>
    [JsonIgnore]
    public string LocationKey => $"{Country}/{Subdivision}/{PostalCode}";
}

/// <summary>A warehouse the listing ships from.</summary>
public sealed record ShopiroShippingWarehouse : ShopiroWarehouseLocation
{
    /// <summary>Shipping methods: destination country → service → position → method (<c>{"CA": {"any": {"1": "auto"}}}</c>).</summary>
    [JsonPropertyName("methods")]
    public Dictionary<string, Dictionary<string, Dictionary<string, string>>>? Methods { get; init; }
}

/// <summary>Inventory.</summary>
public sealed record ShopiroInventoryData
{
    /// <summary>Quantity over all warehouses.</summary>
    [JsonPropertyName("cumulative_quantity")]
    public int? CumulativeQuantity { get; init; }

    /// <summary>Quantity per warehouse.</summary>
    [JsonPropertyName("warehouses")]
    public List<ShopiroInventoryWarehouse>? Warehouses { get; init; }

    /// <summary>Fields not modelled, kept.</summary>
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Extra { get; set; }
}

/// <summary>A warehouse's stock.</summary>
public sealed record ShopiroInventoryWarehouse : ShopiroWarehouseLocation
{
    /// <summary>Quantity there.</summary>
    [JsonPropertyName("quantity")]
    public int? Quantity { get; init; }
}

/// <summary>Listing metadata.</summary>
public sealed record ShopiroMetadata
{
    /// <summary>Price in USD.</summary>
    [JsonPropertyName("price")]
    public decimal? Price { get; init; }

    /// <summary>Available quantity.</summary>
    [JsonPropertyName("available_quantity")]
    public int? AvailableQuantity { get; init; }

    /// <summary>Condition and comments per language.</summary>
    [JsonPropertyName("physical_condition")]
    public ShopiroPhysicalCondition? PhysicalCondition { get; init; }

    /// <summary>Picture identifiers.</summary>
    [JsonPropertyName("pictures")]
    public List<string>? Pictures { get; init; }

    /// <summary>Minor variations (e.g. colours) with titles and picture indexes.</summary>
    [JsonPropertyName("minor_variations")]
    public ShopiroMinorVariations? MinorVariations { get; init; }

    /// <summary>Fields not modelled, kept.</summary>
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Extra { get; set; }
}

/// <summary>Physical condition.</summary>
public sealed record ShopiroPhysicalCondition
{
    /// <summary>The condition, e.g. <c>new</c>.</summary>
    [JsonPropertyName("type")]
    public string? Type { get; init; }

    /// <summary>Comments per language.</summary>
    [JsonPropertyName("comments")]
    public Dictionary<string, string?>? Comments { get; init; }

    /// <summary>Fields not modelled, kept.</summary>
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Extra { get; set; }
}

/// <summary>Minor variations.</summary>
public sealed record ShopiroMinorVariations
{
    /// <summary>The variations.</summary>
    [JsonPropertyName("variations")]
    public List<ShopiroMinorVariation>? Variations { get; init; }

    /// <summary>What varies, e.g. <c>color</c>.</summary>
    [JsonPropertyName("type")]
    public string? Type { get; init; }

    /// <summary>Fields not modelled, kept.</summary>
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Extra { get; set; }
}

/// <summary>One minor variation.</summary>
public sealed record ShopiroMinorVariation
{
    /// <summary>Titles per language.</summary>
    [JsonPropertyName("titles")]
    public Dictionary<string, string?>? Titles { get; init; }

    /// <summary>The index of its picture in <see cref="ShopiroMetadata.Pictures"/>.</summary>
    [JsonPropertyName("picture")]
    public int? Picture { get; init; }

    /// <summary>Fields not modelled, kept.</summary>
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Extra { get; set; }
}

/// <summary>What the manage endpoint answered to a create or an update.</summary>
/// <param name="Slid">The listing's encoded id.</param>
/// <param name="FieldErrors">Fields Shopiro refused (nothing was saved when there are any).</param>
public sealed record ShopiroManageResult(string? Slid, IReadOnlyList<FieldError> FieldErrors)
{
    /// <summary>True when Shopiro reported no field error.</summary>
    public bool IsSuccess => FieldErrors.Count == 0;
}

/// <summary>How the manage endpoint's <c>listing</c> parameter travels (the seed leaves it open).</summary>
public enum ShopiroRequestEncoding
{
    /// <summary>Form fields (<c>application/x-www-form-urlencoded</c>): <c>listing</c> as a JSON string; <c>lid</c> and <c>san</c> in the query. The default.</summary>
    Form = 0,

    /// <summary>A JSON body <c>{ "listing": { … } }</c>; <c>lid</c> and <c>san</c> in the query.</summary>
    Json = 1,

    /// <summary>Everything in the query string (<c>listing</c> URL-encoded JSON): only for small listings.</summary>
    Query = 2,
}

[JsonSourceGenerationOptions(NumberHandling = JsonNumberHandling.AllowReadingFromString)]
[JsonSerializable(typeof(ShopiroListing))]
[JsonSerializable(typeof(JsonElement))]
[JsonSerializable(typeof(string))]
internal sealed partial class ShopiroJson : JsonSerializerContext;
