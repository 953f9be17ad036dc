using System.Text.Json.Serialization;

namespace ListingSync.Sdk.Testing.Managem;

// The emulator's own wire shapes: written from Managem's published examples, independent of the SDK's readers.

/// <summary>A catalogue item served by the emulator.</summary>
public sealed class EmulatedItem
{
    /// <summary>URN.</summary>
    public required string Urn { get; init; }

    /// <summary><c>card</c> or <c>product</c>.</summary>
    public string Type { get; init; } = "card";

    /// <summary>Game.</summary>
    public required string Game { get; init; }

    /// <summary>Name.</summary>
    public required string Name { get; init; }

    /// <summary>Title.</summary>
    public string? Title { get; init; }

    /// <summary>Rarity.</summary>
    public string? Rarity { get; init; }

    /// <summary>Collector number.</summary>
    public required string Number { get; init; }

    /// <summary>Set.</summary>
    public required EmulatedSet Set { get; init; }

    /// <summary>Cardmarket id, when mapped.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public long? CardmarketId { get; init; }

    /// <summary>TCGplayer id, when mapped.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public long? TcgplayerId { get; init; }
}

/// <summary>A set.</summary>
public sealed class EmulatedSet
{
    /// <summary>Name.</summary>
    public required string Name { get; init; }

    /// <summary>URN.</summary>
    public required string Urn { get; init; }
}

/// <summary>A listing held by the emulator, as its API serves it.</summary>
public sealed class EmulatedListing
{
    /// <summary>Id.</summary>
    public required string Id { get; init; }

    /// <summary>Seller id.</summary>
    public required string SellerId { get; init; }

    /// <summary>Condition.</summary>
    public string Condition { get; set; } = "NM";

    /// <summary>Price in pence.</summary>
    public long Price { get; set; }

    /// <summary>Language.</summary>
    public string Language { get; set; } = "English";

    /// <summary>Quantity.</summary>
    public int Quantity { get; set; }

    /// <summary>Available (quantity minus reserved by orders).</summary>
    public int Available { get; set; }

    /// <summary>Variants.</summary>
    public List<string> Variants { get; set; } = [];

    /// <summary>Created.</summary>
    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>Position in the seller's listings (the order of creation), for lookups that answer in that order.</summary>
    internal long Sequence { get; set; }

    /// <summary>Updated.</summary>
    public DateTimeOffset UpdatedAt { get; set; }

    /// <summary>Valid (price ≥ 2000 pence or grading need an attachment).</summary>
    public bool Valid { get; set; } = true;

    /// <summary>Hidden.</summary>
    public bool Hidden { get; set; }

    /// <summary>Locked.</summary>
    public bool Locked { get; set; }

    /// <summary>Integration reference.</summary>
    public string? Reference { get; set; }

    /// <summary>Comment.</summary>
    public string? Comment { get; set; }

    /// <summary>Notes.</summary>
    public string? Notes { get; set; }

    /// <summary>Grading provider.</summary>
    public string? GradingProvider { get; set; }

    /// <summary>Grading score.</summary>
    public string? GradingScore { get; set; }

    /// <summary>Grading number.</summary>
    public string? GradingNumber { get; set; }

    /// <summary>The item.</summary>
    public required EmulatedItem Item { get; init; }

    /// <summary>Attachments (always empty here).</summary>
    public List<string> Attachments { get; init; } = [];

    internal EmulatedListing Clone() => (EmulatedListing)MemberwiseClone();
}

/// <summary>A webhook endpoint held by the emulator.</summary>
public sealed class EmulatedWebhook
{
    /// <summary>Id.</summary>
    public required string Id { get; init; }

    /// <summary>URL.</summary>
    public string Url { get; set; } = "";

    /// <summary>Enabled.</summary>
    public bool Enabled { get; set; }

    /// <summary>Extra headers.</summary>
    public Dictionary<string, string> AdditionalHeaders { get; set; } = [];

    /// <summary>Secret (whsec_...).</summary>
    public required string Secret { get; init; }

    /// <summary>Last success.</summary>
    public DateTimeOffset? LastSuccessAt { get; set; }

    /// <summary>Last failure.</summary>
    public DateTimeOffset? LastFailureAt { get; set; }

    /// <summary>Consecutive failures.</summary>
    public int ConsecutiveFailures { get; set; }

    /// <summary>Disable threshold.</summary>
    public int MaxConsecutiveFailures { get; set; }

    /// <summary>Created.</summary>
    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>Updated.</summary>
    public DateTimeOffset UpdatedAt { get; set; }

    /// <summary>Subscriptions.</summary>
    public List<string> Subscriptions { get; set; } = [];

    /// <summary>Description.</summary>
    public string? Description { get; set; }

    [JsonIgnore]
    internal List<EmulatedWebhookFailure> Failures { get; } = [];
}

/// <summary>A failed delivery.</summary>
public sealed record EmulatedWebhookFailure(string Id, int ResponseStatusCode, int ResponseTime, string Reason, string HarKey, DateTimeOffset CreatedAt);

/// <summary>An import job.</summary>
public sealed class EmulatedImport
{
    /// <summary>Id.</summary>
    public required string Id { get; init; }

    /// <summary>Status.</summary>
    public string Status { get; set; } = "RUNNING";

    /// <summary>Rows.</summary>
    public long Total { get; set; }

    /// <summary>Imported rows.</summary>
    public long Successful { get; set; }

    /// <summary>Failed rows.</summary>
    public long Failed { get; set; }

    /// <summary>Created.</summary>
    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>Updated.</summary>
    public DateTimeOffset UpdatedAt { get; set; }

    /// <summary>Storage key.</summary>
    public string Key { get; init; } = "";

    /// <summary>Batches processed so far.</summary>
    public List<EmulatedImportBatch> Batches { get; init; } = [];

    /// <summary>Row errors.</summary>
    public List<EmulatedImportError> Errors { get; init; } = [];

    [JsonIgnore]
    internal ImportRowData[] Rows { get; init; } = [];

    /// <summary>The next row to process.</summary>
    [JsonIgnore]
    internal int Next { get; set; }
}

/// <summary>A row error.</summary>
public sealed record EmulatedImportError(string Id, int Code, string Message, string Line);

/// <summary>An event the emulator emitted (and delivers to subscribed webhooks).</summary>
/// <param name="Id">Event id.</param>
/// <param name="Type">Event type, e.g. LISTING_CREATED.</param>
/// <param name="CreatedAt">When.</param>
/// <param name="Data">The payload's data object.</param>
public sealed record EmulatedEvent(string Id, string Type, DateTimeOffset CreatedAt, object Data);
