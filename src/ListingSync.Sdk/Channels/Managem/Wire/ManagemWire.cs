using System.Text.Json.Serialization;

namespace ListingSync.Sdk.Channels.Managem.Wire;

// Managem's wire shapes, kept internal: prices are minor units (pence) here and decimals in the public model.

internal sealed class WireItem
{
    public string? Urn { get; set; }
    public string? Type { get; set; }
    public string? Game { get; set; }
    public string? Title { get; set; }
    public string? Name { get; set; }
    public string? Rarity { get; set; }
    public string? Number { get; set; }
    public WireSet? Set { get; set; }
    public long? CardmarketId { get; set; }
    public long? TcgplayerId { get; set; }
}

internal sealed class WireSet
{
    public string? Name { get; set; }
    public string? Urn { get; set; }
}

internal sealed class WireListingWrite
{
    public string? Urn { get; set; }
    public string? Condition { get; set; }
    public long Price { get; set; }
    public string? Language { get; set; }
    public int Quantity { get; set; }
    public List<string>? Variants { get; set; }
    public string? Comment { get; set; }
    public string? GradingProvider { get; set; }
    public string? GradingScore { get; set; }
    public string? GradingNumber { get; set; }
    public bool Hidden { get; set; }
    public string? Notes { get; set; }
    public string? Reference { get; set; }
}

internal sealed class WireBulkRequest
{
    public List<WireListingWrite> Listings { get; set; } = [];
}

internal sealed class WireBulkResponse
{
    public List<string> Successful { get; set; } = [];
    public List<string> Failed { get; set; } = [];
}

internal sealed class WireSearchRequest
{
    public string? Query { get; set; }
    public List<System.Text.Json.JsonElement>? Filters { get; set; }
    public Dictionary<string, List<string>>? Facets { get; set; }
    public int From { get; set; }
    public int Size { get; set; }
    public WireSorting? Sorting { get; set; }
}

internal sealed class WireSorting
{
    public string Field { get; set; } = "";
    public string Order { get; set; } = "asc";
}

internal sealed class WireItemSearchResponse
{
    public long Total { get; set; }
    public List<WireItem> Hits { get; set; } = [];
}

internal sealed class WireUrnLookup
{
    public List<string> Urns { get; set; } = [];
}

internal sealed class WireSubscriptions
{
    public List<string> Events { get; set; } = [];
}

internal sealed class WireFailures
{
    public List<ManagemWebhookFailure> Failures { get; set; } = [];
}

internal sealed class WireImportErrors
{
    public List<ManagemImportError> Errors { get; set; } = [];
}

internal sealed class WireError
{
    public System.Text.Json.JsonElement Code { get; set; }
    public string? Message { get; set; }
    public System.Text.Json.JsonElement Error { get; set; }
    public List<WireFieldError>? Errors { get; set; }
}

internal sealed class WireFieldError
{
    public string? Field { get; set; }
    public string? Path { get; set; }
    public string? Rule { get; set; }
    public string? Code { get; set; }
    public string? Message { get; set; }
}

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    PropertyNameCaseInsensitive = true,
    NumberHandling = JsonNumberHandling.AllowReadingFromString)]
[JsonSerializable(typeof(WireBulkRequest))]
[JsonSerializable(typeof(WireBulkResponse))]
[JsonSerializable(typeof(WireSearchRequest))]
[JsonSerializable(typeof(WireItemSearchResponse))]
[JsonSerializable(typeof(WireListingWrite))]
[JsonSerializable(typeof(WireUrnLookup))]
[JsonSerializable(typeof(List<WireItem>))]
[JsonSerializable(typeof(WireItem))]
[JsonSerializable(typeof(WireSubscriptions))]
[JsonSerializable(typeof(WireFailures))]
[JsonSerializable(typeof(WireImportErrors))]
[JsonSerializable(typeof(WireError))]
[JsonSerializable(typeof(ManagemSellerAccount))]
[JsonSerializable(typeof(ManagemSellerStatus))]
[JsonSerializable(typeof(ManagemWebhook))]
[JsonSerializable(typeof(List<ManagemWebhook>))]
[JsonSerializable(typeof(ManagemWebhookCreateRequest))]
[JsonSerializable(typeof(ManagemWebhookUpdateRequest))]
[JsonSerializable(typeof(ManagemWebhookTestResult))]
[JsonSerializable(typeof(ManagemImport))]
[JsonSerializable(typeof(List<ManagemImport>))]
internal sealed partial class ManagemJsonContext : JsonSerializerContext;
