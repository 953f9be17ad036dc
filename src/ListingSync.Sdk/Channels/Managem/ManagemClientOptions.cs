using ListingSync.Sdk.Http;

namespace ListingSync.Sdk.Channels.Managem;

/// <summary>Settings of the Managem client. Bind from configuration section <see cref="DefaultSection"/>.</summary>
public sealed class ManagemClientOptions : ChannelClientOptions
{
    /// <summary>The channel's name in mappings, metrics and logs.</summary>
    public const string ChannelName = "managem";

    /// <summary>The configuration section the SDK's samples bind.</summary>
    public const string DefaultSection = "ListingSync:Managem";

    /// <summary>Managem's production API.</summary>
    public static Uri ProductionBaseAddress { get; } = new("https://api.managem.co.uk/");

    /// <summary>Creates options pointing at production.</summary>
    public ManagemClientOptions() => BaseAddress = ProductionBaseAddress;

    /// <summary>The account's currency: prices on the wire are minor units of it. Default <c>GBP</c> (pence).</summary>
    public string Currency { get; set; } = "GBP";

    /// <summary>Decimal places of the currency's minor unit. Default 2.</summary>
    public int CurrencyDecimals { get; set; } = 2;

    /// <summary>Rows per bulk-create call, 1 to 200. Default 200 (Managem's maximum).</summary>
    public int BulkBatchSize { get; set; } = 200;

    /// <summary>
    /// When a bulk create fails in a way that leaves its outcome unknown (timeout, 5xx), look the rows up by
    /// reference and report those that were created as created. Default true.
    /// </summary>
    public bool VerifyAmbiguousCreates { get; set; } = true;

    /// <summary>
    /// After a bulk create, fetch the created listings by item to report their ids (one extra call per batch of up to
    /// 200 rows; Managem's bulk answer names URNs, not ids). Default true, so every successful result carries its
    /// <see cref="Channels.ListingWriteResult.ListingId"/>; false saves the call, and the reconciler then learns the ids
    /// from the next listing stream or webhook.
    /// </summary>
    public bool ResolveCreatedListingIds { get; set; } = true;

    /// <summary>
    /// Listings each search page re-reads from the end of the previous one (0..49), so listings deleted between two
    /// page reads skip nothing; when more were deleted than this, the page steps back until it finds its place. Costs
    /// this many extra listings per page (default 2 of 50: 4 %).
    /// </summary>
    public int ScanOverlap { get; set; } = 2;

    /// <summary>How often a running import job is read while waiting for it. Default 2 s.</summary>
    public TimeSpan ImportPollInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>How CSV import files are written (mode, rows per file, variant separator).</summary>
    public ManagemCsvImportOptions Import { get; } = new();
}
