using System.Text.Json;
using System.Text.Json.Serialization;

namespace ListingSync.Sdk.Channels.Instica;

// Wire shapes follow Instica's public reference (instica.com/docs/api/, /inventory/, /products/, /marketplace/) and
// seed 002. Every type keeps what the SDK does not model in Extra, so nothing Instica sends is dropped. Ids are
// opaque strings (inv_…, plt_…, job_…, item_…): never parsed.

/// <summary>A selling platform (<c>GET /api/v1/platforms/</c>).</summary>
public sealed record InsticaPlatform
{
    /// <summary>The platform's uid, e.g. <c>plt_abc</c>.</summary>
    [JsonPropertyName("uid")] public string? Uid { get; init; }

    /// <summary>Display name, e.g. <c>eBay</c>.</summary>
    [JsonPropertyName("name")] public string? Name { get; init; }

    /// <summary>The slug the API uses in paths and bodies, e.g. <c>ebay</c>.</summary>
    [JsonPropertyName("slug")] public string? Slug { get; init; }

    /// <summary>The platform's site.</summary>
    [JsonPropertyName("url")] public string? Url { get; init; }

    /// <summary>Whether selling on the platform is active, as Instica sends it.</summary>
    [JsonPropertyName("is_selling_active")] public bool? IsSellingActive { get; init; }

    /// <summary>Where a user starts the platform's OAuth connection, e.g. <c>/accounts/ebay/login/</c>.</summary>
    [JsonPropertyName("connection_url")] public string? ConnectionUrl { get; init; }

    /// <summary>How the platform connects (the reference's platform table, by slug).</summary>
    [JsonIgnore] public InsticaPlatformKind Kind => InsticaPlatforms.KindOf(Slug);

    /// <summary>Fields the SDK does not model, as sent.</summary>
    [JsonExtensionData] public Dictionary<string, JsonElement>? Extra { get; set; }
}

/// <summary>How Instica reaches a platform (the reference's table of supported platforms).</summary>
public enum InsticaPlatformKind
{
    /// <summary>A platform the reference does not list: the SDK lists there only if the caller says it can.</summary>
    Unknown = 0,

    /// <summary>Connected by OAuth (eBay, Discogs, Etsy, Shopify): import, list / delist and order sync.</summary>
    OAuth = 1,

    /// <summary>Through Instica's browser extension (Redbubble, TeePublic, Society6): scrape import, manual listing only, no order sync.</summary>
    Extension = 2,
}

/// <summary>Whether the seller has connected a platform.</summary>
public enum InsticaConnectionState
{
    /// <summary>Instica did not say (the accounts call is not part of its public reference; see <see cref="InsticaClientOptions.SellerAccountsPath"/>).</summary>
    Unknown = 0,

    /// <summary>A connected seller account exists for the platform.</summary>
    Connected = 1,

    /// <summary>No connected seller account for the platform.</summary>
    NotConnected = 2,
}

/// <summary>The reference's table of supported platforms.</summary>
public static class InsticaPlatforms
{
    private static readonly Dictionary<string, InsticaPlatformKind> Known = new(StringComparer.OrdinalIgnoreCase)
    {
        ["ebay"] = InsticaPlatformKind.OAuth,
        ["discogs"] = InsticaPlatformKind.OAuth,
        ["etsy"] = InsticaPlatformKind.OAuth,
        ["shopify"] = InsticaPlatformKind.OAuth,
        ["redbubble"] = InsticaPlatformKind.Extension,
        ["teepublic"] = InsticaPlatformKind.Extension,
        ["society6"] = InsticaPlatformKind.Extension,
    };

    /// <summary>The kind of the platform with this slug.</summary>
    public static InsticaPlatformKind KindOf(string? slug) => slug is not null && Known.TryGetValue(slug, out var kind) ? kind : InsticaPlatformKind.Unknown;

    /// <summary>Why the SDK will not list on this platform, or null when it may.</summary>
    public static string? WhyNotListable(string slug) => KindOf(slug) == InsticaPlatformKind.Extension
        ? $"{slug} is connected through Instica's browser extension: it supports scrape import and manual listing only, so the API cannot list or delist there (instica.com/docs/api/marketplace/, supported platforms)"
        : null;
}

/// <summary>A connected marketplace account of the seller (what an import job's <c>seller_account_uid</c> names).</summary>
public sealed record InsticaSellerAccount
{
    /// <summary>The account uid, e.g. <c>sa_abc123</c>.</summary>
    [JsonPropertyName("uid")] public string? Uid { get; init; }

    /// <summary>The platform slug, e.g. <c>ebay</c>.</summary>
    [JsonPropertyName("marketplace")] public string? Marketplace { get; init; }

    /// <summary>The seller's name on the platform, when sent.</summary>
    [JsonPropertyName("username")] public string? Username { get; init; }

    /// <summary>Whether the connection is valid, when sent (null: assume it is).</summary>
    [JsonPropertyName("is_active")] public bool? IsActive { get; init; }

    /// <summary>Fields the SDK does not model, as sent.</summary>
    [JsonExtensionData] public Dictionary<string, JsonElement>? Extra { get; set; }
}

/// <summary>A platform with what the SDK can do there for this seller.</summary>
/// <param name="Platform">The platform as Instica describes it.</param>
/// <param name="Connection">Whether the seller has connected it.</param>
/// <param name="SellerAccountUid">The connected account, when known.</param>
public sealed record InsticaPlatformStatus(InsticaPlatform Platform, InsticaConnectionState Connection, string? SellerAccountUid)
{
    /// <summary>How the platform connects.</summary>
    public InsticaPlatformKind Kind => Platform.Kind;

    /// <summary>True when the API can list and delist there (an OAuth platform the seller has not been seen to lack).</summary>
    public bool CanList => Kind != InsticaPlatformKind.Extension && Connection != InsticaConnectionState.NotConnected;

    /// <summary>True when an API import job can read the platform (OAuth; extension platforms import by scraping in the browser).</summary>
    public bool CanImport => Kind == InsticaPlatformKind.OAuth && Connection != InsticaConnectionState.NotConnected;

    /// <summary>Why the SDK cannot list here, or null.</summary>
    public string? Limitation => Platform.Slug is { } slug && InsticaPlatforms.WhyNotListable(slug) is { } why ? why
        : Connection == InsticaConnectionState.NotConnected ? $"the seller has not connected {Platform.Name ?? Platform.Slug} (connect it at {Platform.ConnectionUrl ?? "Instica"})"
        : null;
}

/// <summary>One page of an Instica list (<c>{ count, next, previous, results }</c>).</summary>
/// <typeparam name="T">The item type.</typeparam>
public sealed record InsticaPage<T>
{
    /// <summary>Items across all pages, as Instica reports it.</summary>
    public long? Count { get; init; }

    /// <summary>The next page's URL, null on the last page.</summary>
    public string? Next { get; init; }

    /// <summary>The previous page's URL.</summary>
    public string? Previous { get; init; }

    /// <summary>The items on this page.</summary>
    public required IReadOnlyList<T> Results { get; init; }

    /// <summary>The page number this is.</summary>
    public int Page { get; init; }
}

/// <summary>An artist (<c>product.artist</c>).</summary>
public sealed record InsticaArtist
{
    /// <summary>The artist uid.</summary>
    [JsonPropertyName("uid")] public string? Uid { get; init; }

    /// <summary>The artist's name.</summary>
    [JsonPropertyName("name")] public string? Name { get; init; }

    /// <summary>Fields the SDK does not model, as sent.</summary>
    [JsonExtensionData] public Dictionary<string, JsonElement>? Extra { get; set; }
}

/// <summary>A product: a catalogue entry (e.g. an album) owning inventory items (<c>/api/v1/products/</c>).</summary>
public sealed record InsticaProduct
{
    /// <summary>The product uid, e.g. <c>prod_a1b2c3</c>.</summary>
    [JsonPropertyName("uid")] public string? Uid { get; init; }

    /// <summary>The title, e.g. <c>Abbey Road</c>.</summary>
    [JsonPropertyName("title")] public string? Title { get; init; }

    /// <summary>physical, digital, digital-report or nft.</summary>
    [JsonPropertyName("type")] public string? Type { get; init; }

    /// <summary>The artist.</summary>
    [JsonPropertyName("artist")] public InsticaArtist? Artist { get; init; }

    /// <summary>The catalogue number, e.g. <c>PCS 7088</c>.</summary>
    [JsonPropertyName("catalog_number")] public string? CatalogNumber { get; init; }

    /// <summary>Inventory items of the product (list answers).</summary>
    [JsonPropertyName("total_inventory_count")] public int? TotalInventoryCount { get; init; }

    /// <summary>Listed inventory items (list answers).</summary>
    [JsonPropertyName("listed_inventory_count")] public int? ListedInventoryCount { get; init; }

    /// <summary>Available inventory items (list answers).</summary>
    [JsonPropertyName("available_inventory_count")] public int? AvailableInventoryCount { get; init; }

    /// <summary>The product image URL.</summary>
    [JsonPropertyName("product_image")] public string? ProductImage { get; init; }

    /// <summary>Fields the SDK does not model, as sent.</summary>
    [JsonExtensionData] public Dictionary<string, JsonElement>? Extra { get; set; }
}

/// <summary>The organisation an item belongs to.</summary>
public sealed record InsticaOrganization
{
    /// <summary>The organisation uid.</summary>
    [JsonPropertyName("uid")] public string? Uid { get; init; }

    /// <summary>Display name.</summary>
    [JsonPropertyName("display_name")] public string? DisplayName { get; init; }

    /// <summary>Slug.</summary>
    [JsonPropertyName("slug")] public string? Slug { get; init; }

    /// <summary>Default barcode type, e.g. <c>code128</c>.</summary>
    [JsonPropertyName("default_barcode_type")] public string? DefaultBarcodeType { get; init; }

    /// <summary>Fields the SDK does not model, as sent.</summary>
    [JsonExtensionData] public Dictionary<string, JsonElement>? Extra { get; set; }
}

/// <summary>A photo of an inventory item (<c>assets</c>; shape beyond the reference's mention is an assumption).</summary>
public sealed record InsticaAsset
{
    /// <summary>The asset uid.</summary>
    [JsonPropertyName("uid")] public string? Uid { get; init; }

    /// <summary>The image URL.</summary>
    [JsonPropertyName("url")] public string? Url { get; init; }

    /// <summary>Fields the SDK does not model, as sent.</summary>
    [JsonExtensionData] public Dictionary<string, JsonElement>? Extra { get; set; }
}

/// <summary>An item's listing on one platform (<c>listings</c>; the reference's "marketplace listings", shape assumed).</summary>
public sealed record InsticaItemListing
{
    /// <summary>The platform slug.</summary>
    [JsonPropertyName("platform")] public string? Platform { get; init; }

    /// <summary>The listing's id on the platform (e.g. eBay's item number).</summary>
    [JsonPropertyName("listing_id")] public string? ListingId { get; init; }

    /// <summary>The listing's page on the platform: the link back to the external listing.</summary>
    [JsonPropertyName("listing_url")] public string? ListingUrl { get; init; }

    /// <summary>The listing's status, e.g. <c>active</c> or <c>delisted</c>.</summary>
    [JsonPropertyName("status")] public string? Status { get; init; }

    /// <summary>The price listed, when sent.</summary>
    [JsonPropertyName("price")] public decimal? Price { get; init; }

    /// <summary>True when the listing is live.</summary>
    [JsonIgnore] public bool IsActive => Status is null || string.Equals(Status, "active", StringComparison.OrdinalIgnoreCase) || string.Equals(Status, "listed", StringComparison.OrdinalIgnoreCase);

    /// <summary>Fields the SDK does not model, as sent.</summary>
    [JsonExtensionData] public Dictionary<string, JsonElement>? Extra { get; set; }
}

/// <summary>An inventory item: one sellable unit (<c>/api/v1/inventory/</c>).</summary>
public sealed record InsticaInventoryItem
{
    /// <summary>The item uid, e.g. <c>inv_d4e5f6</c>.</summary>
    [JsonPropertyName("uid")] public string? Uid { get; init; }

    /// <summary>The computed title, e.g. <c>Abbey Road - VG+</c>.</summary>
    [JsonPropertyName("title")] public string? Title { get; init; }

    /// <summary>The item's own name (null: the product's title applies).</summary>
    [JsonPropertyName("name")] public string? Name { get; init; }

    /// <summary>The product the item belongs to.</summary>
    [JsonPropertyName("product")] public InsticaProduct? Product { get; init; }

    /// <summary>The owning organisation.</summary>
    [JsonPropertyName("organization")] public InsticaOrganization? Organization { get; init; }

    /// <summary>The item's condition grade code, e.g. <c>vg_plus</c>.</summary>
    [JsonPropertyName("condition_item")] public string? ConditionItem { get; init; }

    /// <summary>The grade as shown, e.g. <c>VG+</c>.</summary>
    [JsonPropertyName("condition_item_display")] public string? ConditionItemDisplay { get; init; }

    /// <summary>The sleeve / container grade code, e.g. <c>vg</c>.</summary>
    [JsonPropertyName("condition_container")] public string? ConditionContainer { get; init; }

    /// <summary>The container grade as shown.</summary>
    [JsonPropertyName("condition_container_display")] public string? ConditionContainerDisplay { get; init; }

    /// <summary>The status code, e.g. <c>ready-to-sell</c>.</summary>
    [JsonPropertyName("status")] public string? Status { get; init; }

    /// <summary>The status as shown, e.g. <c>Ready to Sell</c>.</summary>
    [JsonPropertyName("status_display")] public string? StatusDisplay { get; init; }

    /// <summary>The total price in USD.</summary>
    [JsonPropertyName("price_total_usd")] public decimal? PriceTotalUsd { get; init; }

    /// <summary>The item price in USD (without shipping).</summary>
    [JsonPropertyName("price_item_usd")] public decimal? PriceItemUsd { get; init; }

    /// <summary>The seller's SKU (searchable; the SDK's match key).</summary>
    [JsonPropertyName("manual_sku")] public string? ManualSku { get; init; }

    /// <summary>The seller's description.</summary>
    [JsonPropertyName("manual_description")] public string? ManualDescription { get; init; }

    /// <summary>Photos.</summary>
    [JsonPropertyName("assets")] public List<InsticaAsset>? Assets { get; init; }

    /// <summary>Listings on platforms.</summary>
    [JsonPropertyName("listings")] public List<InsticaItemListing>? Listings { get; init; }

    /// <summary>When the item was created, when sent.</summary>
    [JsonPropertyName("created_at")] public DateTimeOffset? CreatedAt { get; init; }

    /// <summary>When the item last changed, when sent.</summary>
    [JsonPropertyName("updated_at")] public DateTimeOffset? UpdatedAt { get; init; }

    /// <summary>Fields the SDK does not model, as sent.</summary>
    [JsonExtensionData] public Dictionary<string, JsonElement>? Extra { get; set; }

    /// <summary>The item's live listing on <paramref name="platform"/>, or null.</summary>
    public InsticaItemListing? ListingOn(string platform) =>
        Listings?.FirstOrDefault(l => string.Equals(l.Platform, platform, StringComparison.OrdinalIgnoreCase) && l.IsActive);
}

/// <summary>
/// The fields an inventory item is created or changed with (<c>POST /api/v1/inventory/</c>, <c>PATCH
/// /api/v1/inventory/{uid}/</c>: the usual REST verbs of the documented collection; the body's fields are those the
/// reference's item carries). Null fields are not sent.
/// </summary>
public sealed record InsticaInventoryItemInput
{
    /// <summary>The item's name.</summary>
    [JsonPropertyName("name")] public string? Name { get; init; }

    /// <summary>The product it belongs to.</summary>
    [JsonPropertyName("product_uid")] public string? ProductUid { get; init; }

    /// <summary>The seller's SKU.</summary>
    [JsonPropertyName("manual_sku")] public string? ManualSku { get; init; }

    /// <summary>The seller's description.</summary>
    [JsonPropertyName("manual_description")] public string? ManualDescription { get; init; }

    /// <summary>The condition grade code, e.g. <c>vg_plus</c>.</summary>
    [JsonPropertyName("condition_item")] public string? ConditionItem { get; init; }

    /// <summary>The container grade code.</summary>
    [JsonPropertyName("condition_container")] public string? ConditionContainer { get; init; }

    /// <summary>The total price in USD, sent as a decimal string (<c>"34.99"</c>).</summary>
    [JsonPropertyName("price_total_usd")]
    [JsonNumberHandling(JsonNumberHandling.WriteAsString | JsonNumberHandling.AllowReadingFromString)]
    public decimal? PriceTotalUsd { get; init; }

    /// <summary>The status code, e.g. <c>ready-to-sell</c>.</summary>
    [JsonPropertyName("status")] public string? Status { get; init; }

    /// <summary>Further fields to send as they are.</summary>
    [JsonExtensionData] public Dictionary<string, JsonElement>? Extra { get; set; }
}

/// <summary>The answer to listing one item on one platform.</summary>
public sealed record InsticaListResult
{
    /// <summary><c>success</c> when listed.</summary>
    [JsonPropertyName("status")] public string? Status { get; init; }

    /// <summary>The listing's page on the platform.</summary>
    [JsonPropertyName("listing_url")] public string? ListingUrl { get; init; }

    /// <summary>The listing's id on the platform.</summary>
    [JsonPropertyName("listing_id")] public string? ListingId { get; init; }

    /// <summary>Fields the SDK does not model, as sent.</summary>
    [JsonExtensionData] public Dictionary<string, JsonElement>? Extra { get; set; }
}

/// <summary>One item × platform of a bulk list or delist.</summary>
public sealed record InsticaBulkItemResult
{
    /// <summary>The inventory item uid.</summary>
    [JsonPropertyName("uid")] public string? Uid { get; init; }

    /// <summary>The platform slug.</summary>
    [JsonPropertyName("platform")] public string? Platform { get; init; }

    /// <summary><c>success</c>, or <c>failed</c> with <see cref="Error"/>.</summary>
    [JsonPropertyName("status")] public string? Status { get; init; }

    /// <summary>The listing's id on the platform, after a list.</summary>
    [JsonPropertyName("listing_id")] public string? ListingId { get; init; }

    /// <summary>The listing's page, after a list.</summary>
    [JsonPropertyName("listing_url")] public string? ListingUrl { get; init; }

    /// <summary>Why the item failed.</summary>
    [JsonPropertyName("error")] public string? Error { get; init; }

    /// <summary>True when the item was listed or delisted.</summary>
    [JsonIgnore] public bool IsSuccess => string.Equals(Status, "success", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// True when Instica's answer named no result for this item and platform: its outcome is unknown until the item is
    /// read (the SDK's channel reads it).
    /// </summary>
    [JsonIgnore] public bool IsMissing { get; init; }

    /// <summary>Fields the SDK does not model, as sent.</summary>
    [JsonExtensionData] public Dictionary<string, JsonElement>? Extra { get; set; }
}

/// <summary>An import job (the reference's import job response schema).</summary>
public sealed record InsticaImportJob
{
    /// <summary>The job uid, e.g. <c>job_p6q7r8</c>.</summary>
    [JsonPropertyName("id")] public string? Id { get; init; }

    /// <summary>The platform slug.</summary>
    [JsonPropertyName("marketplace")] public string? Marketplace { get; init; }

    /// <summary>pending, in_progress, completed or failed.</summary>
    [JsonPropertyName("status")] public string? Status { get; init; }

    /// <summary>Listings discovered on the platform.</summary>
    [JsonPropertyName("total_listings_found")] public long? TotalListingsFound { get; init; }

    /// <summary>Imported.</summary>
    [JsonPropertyName("items_imported")] public long? ItemsImported { get; init; }

    /// <summary>Skipped.</summary>
    [JsonPropertyName("items_skipped")] public long? ItemsSkipped { get; init; }

    /// <summary>Failed.</summary>
    [JsonPropertyName("items_failed")] public long? ItemsFailed { get; init; }

    /// <summary>In conflict.</summary>
    [JsonPropertyName("items_conflicted")] public long? ItemsConflicted { get; init; }

    /// <summary>Whether any item failed or conflicted.</summary>
    [JsonPropertyName("has_issues")] public bool? HasIssues { get; init; }

    /// <summary>A readable summary, e.g. <c>3 failed, 2 conflicts</c>.</summary>
    [JsonPropertyName("issue_summary")] public string? IssueSummary { get; init; }

    /// <summary>0.0 – 100.0.</summary>
    [JsonPropertyName("progress_percentage")] public double? ProgressPercentage { get; init; }

    /// <summary>A job-level error.</summary>
    [JsonPropertyName("error_message")] public string? ErrorMessage { get; init; }

    /// <summary>When the job was created.</summary>
    [JsonPropertyName("created_at")] public DateTimeOffset? CreatedAt { get; init; }

    /// <summary>When processing began.</summary>
    [JsonPropertyName("started_at")] public DateTimeOffset? StartedAt { get; init; }

    /// <summary>When the job finished.</summary>
    [JsonPropertyName("completed_at")] public DateTimeOffset? CompletedAt { get; init; }

    /// <summary>Fields the SDK does not model, as sent.</summary>
    [JsonExtensionData] public Dictionary<string, JsonElement>? Extra { get; set; }

    /// <summary>The job in the SDK's channel-neutral terms.</summary>
    public ImportJobStatus ToStatus() => new()
    {
        Id = Id ?? "",
        RawState = Status,
        State = Status switch
        {
            "pending" when StartedAt is null => ImportJobState.Pending,
            "pending" => ImportJobState.Paused, // processed up to a limit; the next start goes on
            "in_progress" => ImportJobState.Running,
            "completed" => ImportJobState.Completed,
            "failed" => ImportJobState.Failed,
            _ => ImportJobState.Unknown,
        },
        Total = TotalListingsFound ?? 0,
        Succeeded = ItemsImported ?? 0,
        Failed = ItemsFailed ?? 0,
        Skipped = ItemsSkipped ?? 0,
        Conflicted = ItemsConflicted ?? 0,
        ReportedPercentComplete = ProgressPercentage,
        CreatedAt = CreatedAt,
    };
}

/// <summary>One item of an import job (the reference's import item fields).</summary>
public sealed record InsticaImportItem
{
    /// <summary>The item uid, e.g. <c>item_xyz</c>.</summary>
    [JsonPropertyName("id")] public string? Id { get; init; }

    /// <summary>The listing's id on the platform.</summary>
    [JsonPropertyName("external_listing_id")] public string? ExternalListingId { get; init; }

    /// <summary>The listing's SKU on the platform.</summary>
    [JsonPropertyName("external_sku")] public string? ExternalSku { get; init; }

    /// <summary>imported, failed, conflict or skipped.</summary>
    [JsonPropertyName("status")] public string? Status { get; init; }

    /// <summary>The listing's title on the platform.</summary>
    [JsonPropertyName("listing_title")] public string? ListingTitle { get; init; }

    /// <summary>The listed price.</summary>
    [JsonPropertyName("listing_price")] public decimal? ListingPrice { get; init; }

    /// <summary>The kind of conflict, e.g. <c>duplicate_sku</c>.</summary>
    [JsonPropertyName("conflict_type")] public string? ConflictType { get; init; }

    /// <summary>What conflicts, e.g. <c>SKU matches existing item inv_d4e5f6</c>.</summary>
    [JsonPropertyName("conflict_details")] public string? ConflictDetails { get; init; }

    /// <summary>Why the item failed.</summary>
    [JsonPropertyName("error_message")] public string? ErrorMessage { get; init; }

    /// <summary>The failure's code.</summary>
    [JsonPropertyName("error_code")] public string? ErrorCode { get; init; }

    /// <summary>How a conflict was resolved, e.g. <c>pending</c>.</summary>
    [JsonPropertyName("resolution")] public string? Resolution { get; init; }

    /// <summary>The inventory item the import created.</summary>
    [JsonPropertyName("created_inventory_item_uid")] public string? CreatedInventoryItemUid { get; init; }

    /// <summary>When the item was processed.</summary>
    [JsonPropertyName("processed_at")] public DateTimeOffset? ProcessedAt { get; init; }

    /// <summary>Fields the SDK does not model, as sent.</summary>
    [JsonExtensionData] public Dictionary<string, JsonElement>? Extra { get; set; }

    /// <summary>The item as a channel-neutral issue.</summary>
    public ImportJobIssue ToIssue() => new(Id ?? "", ConflictType ?? ErrorCode ?? Status, ConflictDetails ?? ErrorMessage ?? Status ?? "", ListingTitle);
}

/// <summary>Filters of the inventory list (the reference's query parameters).</summary>
public sealed record InsticaInventoryQuery
{
    /// <summary>All items, oldest first (a stable order for scans).</summary>
    public static InsticaInventoryQuery All { get; } = new() { Ordering = "created" };

    /// <summary>Search across name, description, SKU, product title, artist, catalogue number.</summary>
    public string? Search { get; init; }

    /// <summary>Statuses to include (sent comma-separated).</summary>
    public IReadOnlyList<string> Statuses { get; init; } = [];

    /// <summary>Sort field, e.g. <c>-created</c>, <c>manual_sku</c>.</summary>
    public string? Ordering { get; init; }

    /// <summary>Page size, 1..100; null for the options' <see cref="InsticaClientOptions.PageSize"/>.</summary>
    public int? PageSize { get; init; }
}

/// <summary>Which prerequisite of listing Instica found missing (the reference: 402 or 400 with a descriptive error).</summary>
public enum InsticaPrerequisite
{
    /// <summary>Instica refused with 402 / 400 for a reason the SDK did not recognise; see the message.</summary>
    Unknown = 0,

    /// <summary>An active subscription (402).</summary>
    Subscription = 1,

    /// <summary>A primary address on file.</summary>
    PrimaryAddress = 2,

    /// <summary>A valid connection to the target platform.</summary>
    PlatformConnection = 3,

    /// <summary>The platform cannot be listed on through the API (browser-extension platforms).</summary>
    ApiListing = 4,
}

/// <summary>A listing call Instica refused (or the SDK refused before sending) because a prerequisite is missing.</summary>
public sealed class InsticaPrerequisiteException : ListingSyncRequestException
{
    /// <summary>Creates the exception.</summary>
    public InsticaPrerequisiteException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public InsticaPrerequisiteException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and cause.</summary>
    public InsticaPrerequisiteException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>What is missing.</summary>
    public InsticaPrerequisite Prerequisite { get; init; }

    /// <summary>The platform the call targeted, when one.</summary>
    public string? Platform { get; init; }
}

[JsonSourceGenerationOptions(NumberHandling = JsonNumberHandling.AllowReadingFromString, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(InsticaPlatform))]
[JsonSerializable(typeof(List<InsticaPlatform>))]
[JsonSerializable(typeof(InsticaSellerAccount))]
[JsonSerializable(typeof(InsticaInventoryItem))]
[JsonSerializable(typeof(InsticaInventoryItemInput))]
[JsonSerializable(typeof(InsticaProduct))]
[JsonSerializable(typeof(InsticaListResult))]
[JsonSerializable(typeof(InsticaBulkItemResult))]
[JsonSerializable(typeof(InsticaImportJob))]
[JsonSerializable(typeof(InsticaImportItem))]
[JsonSerializable(typeof(InsticaOrder))]
[JsonSerializable(typeof(JsonElement))]
[JsonSerializable(typeof(string))]
[JsonSerializable(typeof(int))]
[JsonSerializable(typeof(bool))]
[JsonSerializable(typeof(List<string>))]
[JsonSerializable(typeof(Dictionary<string, JsonElement>))]
internal sealed partial class InsticaJson : JsonSerializerContext;

/// <summary>
/// An order from a connected platform (<c>GET /api/v1/orders/</c>, instica.com/docs/api/orders/). The reference lists
/// the top-level fields; the nested <c>inventory_item_listing</c> ("listing + inventory item") is read as
/// <see cref="InsticaOrderListing"/>, an assumption, with everything else it holds kept in its <c>Extra</c>.
/// </summary>
public sealed record InsticaOrder
{
    /// <summary>The order's uid, e.g. <c>ord_m3n4o5</c>.</summary>
    [JsonPropertyName("uid")] public string? Uid { get; init; }

    /// <summary>The platform's own order id (nullable).</summary>
    [JsonPropertyName("order_id")] public string? OrderId { get; init; }

    /// <summary><c>awaiting_shipment</c>, <c>shipped</c>, <c>completed</c>, or the platform's own status.</summary>
    [JsonPropertyName("status")] public string? Status { get; init; }

    /// <summary>The platform slug, e.g. <c>ebay</c>.</summary>
    [JsonPropertyName("platform")] public string? Platform { get; init; }

    /// <summary>The platform's name, e.g. <c>eBay</c>.</summary>
    [JsonPropertyName("platform_name")] public string? PlatformName { get; init; }

    /// <summary>The buyer's name from the shipping address (nullable).</summary>
    [JsonPropertyName("buyer_name")] public string? BuyerName { get; init; }

    /// <summary>The sale amount (nullable).</summary>
    [JsonPropertyName("sale_price")] public decimal? SalePrice { get; init; }

    /// <summary>The marketplace's fee (nullable).</summary>
    [JsonPropertyName("marketplace_fee")] public decimal? MarketplaceFee { get; init; }

    /// <summary>The payment processing fee (nullable).</summary>
    [JsonPropertyName("platform_fee")] public decimal? PlatformFee { get; init; }

    /// <summary>The shipping cost (nullable).</summary>
    [JsonPropertyName("shipping_cost")] public decimal? ShippingCost { get; init; }

    /// <summary>The revenue after fees (nullable).</summary>
    [JsonPropertyName("net_revenue")] public decimal? NetRevenue { get; init; }

    /// <summary>When the order was placed.</summary>
    [JsonPropertyName("sold_at")] public DateTimeOffset? SoldAt { get; init; }

    /// <summary>The listing sold and its inventory item.</summary>
    [JsonPropertyName("inventory_item_listing")] public InsticaOrderListing? Listing { get; init; }

    /// <summary>The shipment's tracking number (nullable).</summary>
    [JsonPropertyName("shipment_tracking_number")] public string? ShipmentTrackingNumber { get; init; }

    /// <summary>The carrier code (nullable).</summary>
    [JsonPropertyName("shipment_carrier")] public string? ShipmentCarrier { get; init; }

    /// <summary>The shipment's status (nullable).</summary>
    [JsonPropertyName("shipment_status")] public string? ShipmentStatus { get; init; }

    /// <summary>The buyer's address summary, as sent (nullable).</summary>
    [JsonPropertyName("shipment_address")] public JsonElement? ShipmentAddress { get; init; }

    /// <summary>Fields the SDK does not model, as sent.</summary>
    [JsonExtensionData] public Dictionary<string, JsonElement>? Extra { get; set; }
}

/// <summary>The listing an order sold, with its inventory item (an assumption about the nested shape: see <see cref="InsticaOrder"/>).</summary>
public sealed record InsticaOrderListing
{
    /// <summary>The platform's listing id.</summary>
    [JsonPropertyName("listing_id")] public string? ListingId { get; init; }

    /// <summary>The platform slug.</summary>
    [JsonPropertyName("platform")] public string? Platform { get; init; }

    /// <summary>The inventory item sold (the SDK's listing id of an Instica channel).</summary>
    [JsonPropertyName("inventory_item")] public InsticaOrderItem? InventoryItem { get; init; }

    /// <summary>Fields the SDK does not model, as sent.</summary>
    [JsonExtensionData] public Dictionary<string, JsonElement>? Extra { get; set; }
}

/// <summary>The inventory item of an order.</summary>
public sealed record InsticaOrderItem
{
    /// <summary>The item's uid, e.g. <c>inv_d4e5f6</c>.</summary>
    [JsonPropertyName("uid")] public string? Uid { get; init; }

    /// <summary>The seller's SKU.</summary>
    [JsonPropertyName("manual_sku")] public string? ManualSku { get; init; }

    /// <summary>Fields the SDK does not model, as sent.</summary>
    [JsonExtensionData] public Dictionary<string, JsonElement>? Extra { get; set; }
}
