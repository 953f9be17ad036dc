using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using ListingSync.Sdk.Channels.Shopiro;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace ListingSync.Sdk.Testing.Shopiro;

/// <summary>How a <see cref="ShopiroEmulator"/> behaves: the shared port, clock, seeded faults and latency of <see cref="EmulatorOptions"/>.</summary>
public sealed class ShopiroEmulatorOptions : EmulatorOptions
{
    /// <summary>The zone <c>creation_date</c> is written in (Shopiro sends it without one). Default <c>America/Toronto</c>.</summary>
    public string CreationDateTimeZone { get; set; } = "America/Toronto";
}

/// <summary>
/// Shopiro's manage endpoint on loopback (seed 003): <c>POST /api/v1/marketplace/listings/manage</c> with <c>lid</c>,
/// <c>san</c> and <c>listing</c> (as a form field, a JSON body or a query parameter). Retrieve, update and save-as-new;
/// answers <c>{ success: { field_errors, slid[, listing] } }</c> or <c>{ failed: reason }</c> with the seed's reasons;
/// field errors for a missing title, a negative price, impossible dimensions and warehouse quantities that do not add
/// up (nothing is saved then); listings of other segments; drafts; auth by <c>Authorization: Bearer</c> per seller (an
/// assumption: Shopiro documents none). Listings are kept as the JSON they were sent as, so unknown fields survive.
/// </summary>
public sealed partial class ShopiroEmulator : LoopbackEmulator
{
    private readonly ConcurrentDictionary<string, long> _tokens = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (long Seller, JsonObject Listing)> _listings = new(StringComparer.Ordinal);
    private long _ids;

    private ShopiroEmulator(ShopiroEmulatorOptions options)
        : base(options) => Options = options;

    /// <summary>The options in force.</summary>
    public ShopiroEmulatorOptions Options { get; }

    /// <summary>Listings saved (created or updated) through the API.</summary>
    public long Writes => Interlocked.Read(ref _writes);

    private long _writes;
    private long _orders;

    /// <summary>Starts the emulator on loopback.</summary>
    public static async Task<ShopiroEmulator> StartAsync(ShopiroEmulatorOptions? options = null, CancellationToken cancellationToken = default)
    {
        var emulator = new ShopiroEmulator(options ?? new ShopiroEmulatorOptions());
        await emulator.StartServerAsync(cancellationToken).ConfigureAwait(false);
        return emulator;
    }

    /// <summary>Adds a seller (numeric id, as Shopiro's <c>sellerid</c>) answering to <c>Authorization: Bearer <paramref name="token"/></c>.</summary>
    public void AddSeller(long sellerId, string token)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(token);
        _tokens[token] = sellerId;
    }

    /// <summary>Puts a listing on the seller's account as if made on Shopiro's site (any segment); returns its encoded id.</summary>
    public string Seed(long sellerId, ShopiroListing listing)
    {
        ArgumentNullException.ThrowIfNull(listing);
        var node = JsonSerializer.SerializeToNode(listing, ShopiroJson.Default.ShopiroListing)!.AsObject();
        lock (_listings)
        {
            return Store(sellerId, node);
        }
    }

    /// <summary>The seller's listings as stored.</summary>
    public IReadOnlyList<ShopiroListing> Listings(long sellerId)
    {
        lock (_listings)
        {
            return [.. _listings.Values.Where(l => l.Seller == sellerId).Select(l => l.Listing.Deserialize(ShopiroJson.Default.ShopiroListing)!)];
        }
    }

    /// <summary>The stored JSON of one listing (what a retrieve answers), or null.</summary>
    public JsonObject? Raw(string slid)
    {
        lock (_listings)
        {
            return _listings.TryGetValue(slid, out var entry) ? (JsonObject)entry.Listing.DeepClone() : null;
        }
    }

    /// <summary>The seller edits a listing on Shopiro's site (drift the host did not make).</summary>
    public void SimulateSellerEdit(string slid, decimal? price = null, int? quantity = null)
    {
        lock (_listings)
        {
            var listing = _listings[slid].Listing;
            var metadata = listing["metadata"] as JsonObject ?? [];
            listing["metadata"] = metadata;
            if (price is { } p)
            {
                metadata["price"] = p;
            }

            if (quantity is { } q)
            {
                metadata["available_quantity"] = q;
            }
        }
    }

    /// <summary>
    /// A buyer buys <paramref name="quantity"/> units of a listing on Shopiro's storefront: its available quantity (and
    /// the stock of the first warehouses holding some) drops. A buyer cannot buy more than is available, nor anything
    /// while the marketplace is down; what sold is counted in <see cref="LoopbackEmulator.UnitsSold"/>. Returns an order id.
    /// </summary>
    public string SimulateSale(string slid, int quantity = 1)
    {
        ThrowIfDown();
        ArgumentOutOfRangeException.ThrowIfLessThan(quantity, 1);
        lock (_listings)
        {
            var listing = _listings.TryGetValue(slid, out var entry) ? entry.Listing : throw new ArgumentException($"No listing '{slid}'.", nameof(slid));
            var metadata = listing["metadata"] as JsonObject ?? [];
            var available = metadata["available_quantity"] is JsonValue value && value.TryGetValue<int>(out var n) ? n : 0;
            if (quantity > available)
            {
                throw new ArgumentOutOfRangeException(nameof(quantity), quantity, $"1..{available} available.");
            }

            metadata["available_quantity"] = available - quantity;
            if (listing["inventory_data"] is JsonObject inventory)
            {
                if (inventory["cumulative_quantity"] is JsonValue total && total.TryGetValue<int>(out var cumulative))
                {
                    inventory["cumulative_quantity"] = Math.Max(0, cumulative - quantity);
                }

                var left = quantity;
                foreach (var warehouse in (inventory["warehouses"] as JsonArray ?? []).OfType<JsonObject>())
                {
                    if (left > 0 && warehouse["quantity"] is JsonValue held && held.TryGetValue<int>(out var units) && units > 0)
                    {
                        var taken = Math.Min(units, left);
                        warehouse["quantity"] = units - taken;
                        left -= taken;
                    }
                }
            }

            CountSold(quantity);
            return "SO" + Interlocked.Increment(ref _orders).ToString("D8", CultureInfo.InvariantCulture);
        }
    }

    /// <inheritdoc />
    protected override void MapRoutes(WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapPost("/" + ShopiroClient.ManagePath, async (HttpContext c) =>
        {
            var seller = (long)c.Items["seller"]!;
            var lid = c.Request.Query["lid"].ToString();
            var saveAsNew = c.Request.Query["san"].ToString() is { Length: > 0 } san && san != "0" && !san.Equals("false", StringComparison.OrdinalIgnoreCase);
            JsonObject? listing;
            try
            {
                listing = await ReadListingAsync(c.Request).ConfigureAwait(false);
            }
            catch (JsonException)
            {
                return Answer(new JsonObject { ["success"] = new JsonObject { ["field_errors"] = new JsonObject { ["listing"] = "is not valid JSON" }, ["slid"] = null } });
            }

            if (string.IsNullOrEmpty(lid))
            {
                return Failed(ShopiroClient.Reasons.SlidBadFormat);
            }

            if (saveAsNew)
            {
                if (listing is null)
                {
                    return Answer(Success(new JsonObject { ["listing"] = "is required to save as new" }, null));
                }

                if (Validate(listing) is { Count: > 0 } errors)
                {
                    return Answer(Success(errors, null));
                }

                string slid;
                lock (_listings)
                {
                    slid = Store(seller, listing);
                }

                Interlocked.Increment(ref _writes);

                return AppliedThenFailed() ?? Answer(Success([], slid));
            }

            if (!SlidFormat().IsMatch(lid))
            {
                return Failed(ShopiroClient.Reasons.SlidBadFormat);
            }

            lock (_listings)
            {
                if (!_listings.TryGetValue(lid, out var entry) || entry.Seller != seller)
                {
                    return Failed(ShopiroClient.Reasons.FailedRetrieving);
                }

                if (entry.Listing["type"]?.GetValue<string>() != ShopiroListing.LowVolumeType)
                {
                    return Failed(ShopiroClient.Reasons.NotLowVolume);
                }

                if (listing is null)
                {
                    var answer = Success([], lid);
                    ((JsonObject)answer["success"]!)["listing"] = entry.Listing.DeepClone();
                    return Answer(answer);
                }

                if (Validate(listing) is { Count: > 0 } errors)
                {
                    return Answer(Success(errors, lid));
                }

                // What Shopiro owns stays Shopiro's: the id, the seller, the creation date.
                listing["elistingid"] = lid;
                listing["sellerid"] = seller;
                listing["creation_date"] = entry.Listing["creation_date"]?.DeepClone();
                _listings[lid] = (seller, listing);
                Interlocked.Increment(ref _writes);
            }

            return AppliedThenFailed() ?? Answer(Success([], lid));
        });
    }

    /// <inheritdoc />
    protected override Task<(bool Admitted, string? RateKey)> AdmitCoreAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var header = context.Request.Headers.Authorization.ToString();
        var token = header.StartsWith("Bearer ", StringComparison.Ordinal) ? header[7..] : header.StartsWith("ApiKey ", StringComparison.Ordinal) ? header[7..] : "";
        if (!_tokens.TryGetValue(token, out var seller))
        {
            return Deny(context);
        }

        context.Items["seller"] = seller;
        return Task.FromResult((true, (string?)seller.ToString(CultureInfo.InvariantCulture)));

        static async Task<(bool, string?)> Deny(HttpContext context)
        {
            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync(new JsonObject { ["failed"] = "Unauthorized" }.ToJsonString()).ConfigureAwait(false);
            return (false, null);
        }
    }

    /// <inheritdoc />
    protected override IResult ErrorResult(int status, string code, string message) =>
        Results.Content(new JsonObject { ["failed"] = message, ["code"] = code }.ToJsonString(), "application/json", statusCode: status);

    private string Store(long seller, JsonObject listing)
    {
        var slid = "SA" + Interlocked.Increment(ref _ids).ToString("D10", CultureInfo.InvariantCulture);
        listing["elistingid"] = slid;
        listing["sellerid"] = seller;
        listing["type"] ??= ShopiroListing.LowVolumeType;
        listing["listing_type"] ??= listing["type"]!.DeepClone();
        listing["is_draft"] ??= 0;
        var zone = TimeZoneInfo.FindSystemTimeZoneById(Options.CreationDateTimeZone);
        listing["creation_date"] = TimeZoneInfo.ConvertTime(Time.GetUtcNow(), zone).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
        _listings[slid] = (seller, listing);
        return slid;
    }

    private static async Task<JsonObject?> ReadListingAsync(HttpRequest request)
    {
        string? text = request.Query["listing"].ToString() is { Length: > 0 } query ? query : null;
        if (text is null && request.HasFormContentType)
        {
            var form = await request.ReadFormAsync().ConfigureAwait(false);
            text = form["listing"].ToString() is { Length: > 0 } field ? field : null;
        }
        else if (text is null && request.ContentType?.StartsWith("application/json", StringComparison.OrdinalIgnoreCase) == true)
        {
            var body = await JsonNode.ParseAsync(request.Body).ConfigureAwait(false);
            return body?["listing"] is JsonObject inner ? (JsonObject)inner.DeepClone() : null;
        }

        return text is null ? null : JsonNode.Parse(text) as JsonObject ?? throw new JsonException("listing is not an object");
    }

    /// <summary>Shopiro's checks, as field errors (nothing is saved when there is one).</summary>
    private static JsonObject Validate(JsonObject listing)
    {
        var errors = new JsonObject();
        if (listing["titles"] is not JsonObject titles || !titles.Any(t => t.Value is JsonValue v && v.TryGetValue<string>(out var s) && s.Length > 0))
        {
            errors["titles"] = "a title in at least one language is required";
        }

        if (listing["metadata"]?["price"] is JsonValue price && price.TryGetValue<decimal>(out var amount) && amount < 0)
        {
            errors["metadata.price"] = "must not be negative";
        }

        if (listing["shipping_data"] is JsonObject shipping)
        {
            foreach (var axis in new[] { "x_dimension", "y_dimension", "z_dimension", "weight" })
            {
                if (shipping[axis] is JsonValue value && value.TryGetValue<decimal>(out var size) && size is <= 0 or > 10_000)
                {
                    errors["shipping_data." + axis] = "must be greater than 0 and at most 10000";
                }
            }
        }

        if (listing["inventory_data"] is JsonObject inventory && inventory["warehouses"] is JsonArray { Count: > 0 } warehouses)
        {
            var sum = warehouses.Sum(w => w?["quantity"] is JsonValue q && q.TryGetValue<int>(out var n) ? n : 0);
            if (inventory["cumulative_quantity"] is JsonValue total && total.TryGetValue<int>(out var cumulative) && cumulative != sum)
            {
                errors["inventory_data.cumulative_quantity"] = $"is {cumulative} but the warehouses hold {sum}";
            }
        }

        return errors;
    }

    private static JsonObject Success(JsonObject errors, string? slid) => new() { ["success"] = new JsonObject { ["field_errors"] = errors, ["slid"] = slid } };

    private static IResult Failed(string reason) => Answer(new JsonObject { ["failed"] = reason });

    private static IResult Answer(JsonObject body) => Results.Content(body.ToJsonString(), "application/json");

    [GeneratedRegex("^[A-Z0-9]{12}$")]
    private static partial Regex SlidFormat();
}
