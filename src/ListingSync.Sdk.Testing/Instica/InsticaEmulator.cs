using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using ListingSync.Sdk.Channels.Instica;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace ListingSync.Sdk.Testing.Instica;

/// <summary>How an <see cref="InsticaEmulator"/> behaves: the shared port, clock, seeded faults and latency of <see cref="EmulatorOptions"/>.</summary>
public sealed class InsticaEmulatorOptions : EmulatorOptions
{
    /// <summary>Time an import job spends on each external listing. Default 2 ms.</summary>
    public TimeSpan ImportItemDelay { get; set; } = TimeSpan.FromMilliseconds(2);

    /// <summary>The path of the seller-accounts call (must match the client's <see cref="InsticaClientOptions.SellerAccountsPath"/>); null: answer 404 there.</summary>
    public string? SellerAccountsPath { get; set; } = "api/v1/marketplace/accounts/";
}

/// <summary>A listing on an external platform that an import job can bring in.</summary>
public sealed record InsticaExternalListing
{
    /// <summary>The listing's id on the platform.</summary>
    public required string ListingId { get; init; }

    /// <summary>Its SKU there (a SKU an inventory item already has is a <c>duplicate_sku</c> conflict).</summary>
    public string? Sku { get; init; }

    /// <summary>Its title.</summary>
    public required string Title { get; init; }

    /// <summary>Its price in USD.</summary>
    public decimal? Price { get; init; }

    /// <summary>Its condition grade code, e.g. <c>vg_plus</c>.</summary>
    public string? Condition { get; init; }

    /// <summary>How many times importing it fails before it succeeds (a retry imports it once this is used up). Default 0.</summary>
    public int FailTimes { get; init; }

    /// <summary>The error code of those failures. Default <c>missing_images</c>.</summary>
    public string FailCode { get; init; } = "missing_images";
}

/// <summary>
/// Instica's API on loopback, as its public reference and seed 002 describe it: platforms (the reference's seven, with
/// extension platforms refusing API listing) and per-seller connections; inventory items (paged <c>count</c> /
/// <c>next</c> / <c>previous</c>, <c>page_size</c> ≤ 100, search, status filter, ordering; get, create, patch); list /
/// delist per item and in bulk (one result per item and platform); the prerequisites (402 without a subscription, 400
/// without a primary address or a connection); products; import jobs run asynchronously from a seeded external
/// catalogue with progress, failures and <c>duplicate_sku</c> conflicts, preview, start (limit, <c>skip_conflicts</c>),
/// issues paging (default 20, max 100), resolve, retry failed, skip all. Auth: <c>Authorization: Bearer</c> or
/// <c>X-API-Key</c> per seller. Shapes the reference does not show (item <c>listings</c>, bulk results, accounts) are
/// the SDK's assumptions, named in docs/channels/instica.md.
/// </summary>
public sealed class InsticaEmulator : LoopbackEmulator
{
    private static readonly (string Slug, string Name, string Url, bool OAuth)[] KnownPlatforms =
    [
        ("ebay", "eBay", "https://ebay.com", true),
        ("discogs", "Discogs", "https://discogs.com", true),
        ("etsy", "Etsy", "https://etsy.com", true),
        ("shopify", "Shopify", "https://shopify.com", true),
        ("redbubble", "Redbubble", "https://redbubble.com", false),
        ("teepublic", "TeePublic", "https://teepublic.com", false),
        ("society6", "Society6", "https://society6.com", false),
    ];

    private readonly ConcurrentDictionary<string, Seller> _byCredential = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Seller> _sellers = new(StringComparer.Ordinal);
    private readonly object _gate = new();
    private long _ids;

    private InsticaEmulator(InsticaEmulatorOptions options)
        : base(options) => Options = options;

    /// <summary>The options in force.</summary>
    public InsticaEmulatorOptions Options { get; }

    /// <summary>Bulk list and bulk delist calls answered.</summary>
    public long BulkCalls => Interlocked.Read(ref _bulkCalls);

    private long _bulkCalls;

    /// <summary>Starts the emulator on loopback.</summary>
    public static async Task<InsticaEmulator> StartAsync(InsticaEmulatorOptions? options = null, CancellationToken cancellationToken = default)
    {
        var emulator = new InsticaEmulator(options ?? new InsticaEmulatorOptions());
        await emulator.StartServerAsync(cancellationToken).ConfigureAwait(false);
        return emulator;
    }

    /// <summary>
    /// Adds a seller answering to <c>Authorization: Bearer <paramref name="token"/></c> (and <c>X-API-Key</c>
    /// <paramref name="apiKey"/> when given), with an active subscription, a primary address and the given platforms connected.
    /// </summary>
    public void AddSeller(string sellerId, string token, string? apiKey = null, params string[] connected)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(sellerId);
        ArgumentException.ThrowIfNullOrWhiteSpace(token);
        var seller = _sellers.GetOrAdd(sellerId, id => new Seller(id));
        _byCredential["Bearer " + token] = seller;
        if (apiKey is not null)
        {
            _byCredential["Key " + apiKey] = seller;
        }

        foreach (var platform in connected)
        {
            Connect(sellerId, platform);
        }
    }

    /// <summary>Connects a platform for the seller (as the OAuth flow would).</summary>
    public void Connect(string sellerId, string platform)
    {
        var seller = _sellers[sellerId];
        lock (_gate)
        {
            seller.Connections[platform.ToLowerInvariant()] = "sa_" + Next();
        }
    }

    /// <summary>Disconnects a platform.</summary>
    public void Disconnect(string sellerId, string platform)
    {
        lock (_gate)
        {
            _sellers[sellerId].Connections.Remove(platform.ToLowerInvariant());
        }
    }

    /// <summary>Turns the seller's subscription on or off (off: listing calls answer 402).</summary>
    public void SetSubscription(string sellerId, bool active) => _sellers[sellerId].SubscriptionActive = active;

    /// <summary>Gives or takes the seller's primary address (none: listing calls answer 400).</summary>
    public void SetPrimaryAddress(string sellerId, bool onFile) => _sellers[sellerId].PrimaryAddress = onFile;

    /// <summary>Seeds listings on an external platform for import jobs to find.</summary>
    public void SeedExternal(string sellerId, string platform, IEnumerable<InsticaExternalListing> listings)
    {
        ArgumentNullException.ThrowIfNull(listings);
        lock (_gate)
        {
            var seller = _sellers[sellerId];
            if (!seller.External.TryGetValue(platform, out var list))
            {
                seller.External[platform] = list = [];
            }

            list.AddRange(listings);
        }
    }

    /// <summary>Puts an inventory item in the seller's account as if made in Instica's app; returns its uid. <paramref name="listedOn"/> lists it there at once.</summary>
    public string SeedItem(string sellerId, string title, string? sku, decimal price, string condition = "vg_plus", params string[] listedOn)
    {
        lock (_gate)
        {
            var seller = _sellers[sellerId];
            var item = NewItem(seller, new JsonObject { ["name"] = title, ["manual_sku"] = sku, ["price_total_usd"] = Money(price), ["condition_item"] = condition });
            foreach (var platform in listedOn)
            {
                AddListing(item, platform, price);
            }

            return item["uid"]!.GetValue<string>();
        }
    }

    /// <summary>The seller's inventory items as stored (JSON the API answers).</summary>
    public IReadOnlyList<JsonObject> Items(string sellerId)
    {
        lock (_gate)
        {
            return [.. _sellers[sellerId].Items.Select(i => (JsonObject)i.DeepClone())];
        }
    }

    /// <summary>How many of the seller's items are live on <paramref name="platform"/>.</summary>
    public int ListedCount(string sellerId, string platform)
    {
        lock (_gate)
        {
            return _sellers[sellerId].Items.Count(i => LiveListing(i, platform) is not null);
        }
    }

    /// <summary>Delists every item of the seller from <paramref name="platform"/>, as if done in Instica's app (benchmarks reset with it).</summary>
    public void DelistAll(string sellerId, string platform)
    {
        lock (_gate)
        {
            foreach (var item in _sellers[sellerId].Items)
            {
                if (LiveListing(item, platform) is { } listing)
                {
                    listing["status"] = "delisted";
                }
            }
        }
    }

    /// <summary>
    /// A buyer buys an item where it is live on <paramref name="platform"/>: the item is sold, its listing there is
    /// marked sold and Instica takes it off every other platform (its two-way sync). An item not live there cannot be
    /// bought, nor anything while the marketplace is down; what sold is counted in <see cref="LoopbackEmulator.UnitsSold"/>.
    /// Returns the order's uid.
    /// </summary>
    public string SimulateSale(string sellerId, string uid, string platform)
    {
        ThrowIfDown();
        lock (_gate)
        {
            var seller = _sellers[sellerId];
            var item = Find(seller, uid) ?? throw new ArgumentException($"No item '{uid}'.", nameof(uid));
            var sold = LiveListing(item, platform) ?? throw new InvalidOperationException($"Item '{uid}' is not live on {platform}: nothing to buy.");
            foreach (var listing in (item["listings"] as JsonArray ?? []).OfType<JsonObject>().Where(l => l["status"]?.ToString() == "active"))
            {
                listing["status"] = ReferenceEquals(listing, sold) ? "sold" : "delisted";
            }

            item["status"] = "sold";
            item["status_display"] = "Sold";
            Touch(item);
            CountSold(1);
            var order = new JsonObject
            {
                ["uid"] = $"ord_{Next():x6}",
                ["order_id"] = sold["listing_id"]?.DeepClone(),
                ["status"] = "awaiting_shipment",
                ["platform"] = platform,
                ["platform_name"] = KnownPlatforms.First(p => p.Slug == platform).Name,
                ["sale_price"] = sold["price"]?.DeepClone(),
                ["sold_at"] = Time.GetUtcNow().ToString("O", CultureInfo.InvariantCulture),
                ["inventory_item_listing"] = new JsonObject { ["listing_id"] = sold["listing_id"]?.DeepClone(), ["platform"] = platform, ["inventory_item"] = new JsonObject { ["uid"] = uid, ["manual_sku"] = item["manual_sku"]?.DeepClone() } },
            };
            seller.Orders.Add(order);
            return order["uid"]!.GetValue<string>();
        }
    }

    /// <summary>Deletes an item as if the seller did it in Instica's app.</summary>
    public void DeleteItem(string sellerId, string uid)
    {
        lock (_gate)
        {
            _sellers[sellerId].Items.RemoveAll(i => i["uid"]!.GetValue<string>() == uid);
            _sellers[sellerId].ByUid.Remove(uid);
        }
    }

    /// <inheritdoc />
    protected override void MapRoutes(WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapGet("/api/v1/platforms/", () => Json(new JsonArray([.. KnownPlatforms.Select(p => (JsonNode)new JsonObject
        {
            ["uid"] = "plt_" + p.Slug,
            ["name"] = p.Name,
            ["slug"] = p.Slug,
            ["url"] = p.Url,
            ["is_selling_active"] = p.OAuth,
            ["connection_url"] = $"/accounts/{p.Slug}/login/",
        })])));

        if (Options.SellerAccountsPath is { } accounts)
        {
            app.MapGet("/" + accounts, (HttpContext c) =>
            {
                var seller = SellerOf(c);
                lock (_gate)
                {
                    return Json(new JsonArray([.. seller.Connections.Select(kv => (JsonNode)new JsonObject { ["uid"] = kv.Value, ["marketplace"] = kv.Key, ["username"] = seller.Id + "-" + kv.Key, ["is_active"] = true })]));
                }
            });
        }

        app.MapGet("/api/v1/inventory/", (HttpContext c) => InventoryList(c));
        app.MapPost("/api/v1/inventory/", async (HttpContext c) =>
        {
            var body = await Body(c).ConfigureAwait(false);
            if (body is null)
            {
                return Error(400, "invalid", "The body must be a JSON object.");
            }

            if (Invalid(body) is { } invalid)
            {
                return invalid;
            }

            JsonObject item;
            lock (_gate)
            {
                item = NewItem(SellerOf(c), body);
            }

            return AppliedThenFailed() ?? Json(item.DeepClone(), 201);
        });
        app.MapGet("/api/v1/inventory/{uid}/", (HttpContext c, string uid) =>
        {
            lock (_gate)
            {
                return Find(SellerOf(c), uid) is { } item ? Json(item.DeepClone()) : NotFound();
            }
        });
        app.MapMethods("/api/v1/inventory/{uid}/", ["PATCH"], async (HttpContext c, string uid) =>
        {
            var body = await Body(c).ConfigureAwait(false);
            if (body is null)
            {
                return Error(400, "invalid", "The body must be a JSON object.");
            }

            if (Invalid(body) is { } invalid)
            {
                return invalid;
            }

            lock (_gate)
            {
                if (Find(SellerOf(c), uid) is not { } item)
                {
                    return NotFound();
                }

                foreach (var (name, value) in body.ToList())
                {
                    if (name is "uid" or "listings" or "organization" or "created_at")
                    {
                        continue;
                    }

                    item[name] = value?.DeepClone();
                }

                Touch(item);
                return AppliedThenFailed() ?? Json(item.DeepClone());
            }
        });
        app.MapPost("/api/v1/inventory/{uid}/platforms/{slug}/list/", async (HttpContext c, string uid, string slug) =>
        {
            var body = await Body(c).ConfigureAwait(false);
            var seller = SellerOf(c);
            lock (_gate)
            {
                if (Prerequisite(seller, slug) is { } refused)
                {
                    return refused;
                }

                if (Find(seller, uid) is not { } item)
                {
                    return NotFound();
                }

                var price = body?["price"] is JsonValue p && decimal.TryParse(p.ToString(), NumberStyles.Number, CultureInfo.InvariantCulture, out var given) ? given : Price(item);
                var listing = LiveListing(item, slug) ?? AddListing(item, slug, price);
                listing["price"] = Money(price);
                return AppliedThenFailed() ?? Json(new JsonObject { ["status"] = "success", ["listing_url"] = listing["listing_url"]!.DeepClone(), ["listing_id"] = listing["listing_id"]!.DeepClone() });
            }
        });
        app.MapPost("/api/v1/inventory/{uid}/platforms/{slug}/delist/", (HttpContext c, string uid, string slug) =>
        {
            var seller = SellerOf(c);
            lock (_gate)
            {
                if (Prerequisite(seller, slug) is { } refused)
                {
                    return refused;
                }

                if (Find(seller, uid) is not { } item)
                {
                    return NotFound();
                }

                if (LiveListing(item, slug) is { } listing)
                {
                    listing["status"] = "delisted";
                    Touch(item);
                }

                return AppliedThenFailed() ?? Json(new JsonObject { ["status"] = "success" });
            }
        });
        app.MapPost("/api/v1/inventory/bulk/{verb}/", async (HttpContext c, string verb) =>
        {
            if (verb is not ("list" or "delist"))
            {
                return NotFound();
            }

            Interlocked.Increment(ref _bulkCalls);
            var body = await Body(c).ConfigureAwait(false);
            if (body?["uids"] is not JsonArray uids || body["platforms"] is not JsonArray platforms || platforms.Count == 0)
            {
                return Error(400, "invalid", "uids and platforms are required lists.");
            }

            var seller = SellerOf(c);
            var results = new JsonArray();
            lock (_gate)
            {
                foreach (var platform in platforms.Select(p => p?.ToString() ?? ""))
                {
                    if (Prerequisite(seller, platform) is { } refused)
                    {
                        return refused;
                    }
                }

                foreach (var uid in uids.Select(u => u?.ToString() ?? ""))
                {
                    foreach (var platform in platforms.Select(p => p?.ToString() ?? ""))
                    {
                        var result = new JsonObject { ["uid"] = uid, ["platform"] = platform };
                        if (Find(seller, uid) is not { } item)
                        {
                            result["status"] = "failed";
                            result["error"] = "Inventory item not found.";
                        }
                        else if (verb == "list")
                        {
                            if (Price(item) <= 0)
                            {
                                result["status"] = "failed";
                                result["error"] = "The item has no price.";
                            }
                            else
                            {
                                var listing = LiveListing(item, platform) ?? AddListing(item, platform, Price(item));
                                result["status"] = "success";
                                result["listing_id"] = listing["listing_id"]!.DeepClone();
                                result["listing_url"] = listing["listing_url"]!.DeepClone();
                            }
                        }
                        else
                        {
                            if (LiveListing(item, platform) is { } listing)
                            {
                                listing["status"] = "delisted";
                                Touch(item);
                            }

                            result["status"] = "success";
                        }

                        results.Add(result);
                    }
                }
            }

            return AppliedThenFailed() ?? Json(new JsonObject { ["results"] = results });
        });

        app.MapGet("/api/v1/products/", (HttpContext c) =>
        {
            var seller = SellerOf(c);
            if (PageArgs(c, 15) is not { } args)
            {
                return Error(400, "invalid", "page_size must be between 1 and 100.");
            }

            lock (_gate)
            {
                var products = seller.Items.Where(i => i["product"] is JsonObject).GroupBy(i => i["product"]!["uid"]!.GetValue<string>()).Select(g =>
                {
                    var product = (JsonObject)g.First()["product"]!.DeepClone();
                    product["total_inventory_count"] = g.Count();
                    product["listed_inventory_count"] = g.Count(i => (i["listings"] as JsonArray)?.Any(l => l?["status"]?.ToString() == "active") == true);
                    product["available_inventory_count"] = g.Count(i => i["status"]?.ToString() == "ready-to-sell");
                    return product;
                });
                var search = c.Request.Query["search"].ToString();
                var list = products.Where(p => search.Length == 0 || (p["title"]?.ToString() ?? "").Contains(search, StringComparison.OrdinalIgnoreCase)).Select(p => (JsonNode)p).ToList();
                return Page(c, list, args.Page, args.Size);
            }
        });
        app.MapGet("/api/v1/orders/", (HttpContext c) =>
        {
            // instica.com/docs/api/orders/: status, platform, ordering (created / -created: by when it sold), page, page_size ≤ 100 (default 25).
            var seller = SellerOf(c);
            if (PageArgs(c, 25) is not { } args)
            {
                return Error(400, "invalid", "page_size must be between 1 and 100.");
            }

            var status = c.Request.Query["status"].ToString();
            var platform = c.Request.Query["platform"].ToString();
            var descending = c.Request.Query["ordering"].ToString() is not ("created" or "sold_at");
            lock (_gate)
            {
                var orders = seller.Orders.Where(o => (status.Length == 0 || o["status"]?.ToString() == status) && (platform.Length == 0 || o["platform"]?.ToString() == platform));
                var list = (descending ? orders.Reverse() : orders).Select(o => (JsonNode)o).ToList();
                return Page(c, list, args.Page, args.Size);
            }
        });
        app.MapGet("/api/v1/products/{uid}/", (HttpContext c, string uid) =>
        {
            lock (_gate)
            {
                var item = SellerOf(c).Items.FirstOrDefault(i => i["product"]?["uid"]?.ToString() == uid);
                return item is null ? NotFound() : Json(item["product"]!.DeepClone());
            }
        });

        MapImports(app);
    }

    private void MapImports(WebApplication app)
    {
        app.MapPost("/api/v1/marketplace/import/jobs/create/", async (HttpContext c) =>
        {
            var body = await Body(c).ConfigureAwait(false);
            var account = body?["seller_account_uid"]?.ToString();
            var marketplace = body?["marketplace"]?.ToString();
            if (string.IsNullOrEmpty(account) || string.IsNullOrEmpty(marketplace))
            {
                return Error(400, "invalid", "seller_account_uid and marketplace are required.");
            }

            var seller = SellerOf(c);
            lock (_gate)
            {
                if (!seller.Connections.TryGetValue(marketplace, out var connected) || connected != account)
                {
                    return Error(400, "platform_not_connected", $"No valid connection {account} to {marketplace}.");
                }

                return Json(NewJob(seller, marketplace).ToJson(), 201);
            }
        });
        app.MapPost("/api/v1/marketplace/{platform}/import/", (HttpContext c, string platform) =>
        {
            var seller = SellerOf(c);
            lock (_gate)
            {
                if (!KnownPlatforms.Any(p => p.Slug == platform && p.OAuth))
                {
                    return Error(400, "unsupported_platform", $"{platform} cannot be imported through the API.");
                }

                if (!seller.Connections.ContainsKey(platform))
                {
                    return Error(400, "platform_not_connected", $"No valid connection to {platform}. Connect it first.");
                }

                return Json(NewJob(seller, platform).ToJson(), 201);
            }
        });
        app.MapGet("/api/v1/marketplace/import/jobs/", (HttpContext c) =>
        {
            var seller = SellerOf(c);
            var marketplace = c.Request.Query["marketplace"].ToString();
            var status = c.Request.Query["status"].ToString();
            lock (_gate)
            {
                return Json(new JsonArray([.. seller.Jobs.Values.Reverse()
                    .Where(j => (marketplace.Length == 0 || j.Marketplace == marketplace) && (status.Length == 0 || j.Status == status))
                    .Take(50).Select(j => (JsonNode)j.ToJson())]));
            }
        });
        app.MapGet("/api/v1/marketplace/import/jobs/{uid}/", (HttpContext c, string uid) =>
        {
            lock (_gate)
            {
                return SellerOf(c).Jobs.TryGetValue(uid, out var job) ? Json(job.ToJson()) : NotFound();
            }
        });
        app.MapPost("/api/v1/marketplace/import/{verb}/", async (HttpContext c, string verb) =>
        {
            if (verb is not ("preview" or "start"))
            {
                return NotFound();
            }

            var body = await Body(c).ConfigureAwait(false);
            var seller = SellerOf(c);
            Job? job;
            lock (_gate)
            {
                if (body?["job_uid"]?.ToString() is not { } uid || !seller.Jobs.TryGetValue(uid, out job))
                {
                    return Error(404, "not_found", "No such import job.");
                }

                if (job.Status == "in_progress")
                {
                    return Results.StatusCode(202);
                }

                int? limit = body["limit"] is JsonValue l && l.TryGetValue<int>(out var n) && n > 0 ? n : null;
                var skip = body["skip_conflicts"] is JsonValue s && s.TryGetValue<bool>(out var b) && b;
                if (verb == "preview")
                {
                    Preview(seller, job);
                    return Results.StatusCode(202);
                }

                job.Status = "in_progress";
                job.StartedAt ??= Time.GetUtcNow();
                _ = Task.Run(() => RunAsync(seller, job, limit, skip));
            }

            return Results.StatusCode(202);
        });
        app.MapGet("/api/v1/marketplace/import/jobs/{uid}/issues/", (HttpContext c, string uid) =>
        {
            var seller = SellerOf(c);
            if (PageArgs(c, 20) is not { } args)
            {
                return Error(400, "invalid", "page_size must be between 1 and 100.");
            }

            var status = c.Request.Query["status"].ToString();
            lock (_gate)
            {
                if (!seller.Jobs.TryGetValue(uid, out var job))
                {
                    return NotFound();
                }

                var issues = job.Items.Where(i => i.Status is "failed" or "conflict" && (status.Length == 0 || i.Status == status)).Select(i => (JsonNode)i.ToJson()).ToList();
                return Page(c, issues, args.Page, args.Size);
            }
        });
        app.MapPost("/api/v1/marketplace/import/jobs/{uid}/items/{item}/resolve/", async (HttpContext c, string uid, string item) =>
        {
            var body = await Body(c).ConfigureAwait(false);
            var resolution = body?["resolution"]?.ToString() ?? "link";
            var seller = SellerOf(c);
            lock (_gate)
            {
                if (!seller.Jobs.TryGetValue(uid, out var job) || job.Items.FirstOrDefault(i => i.Id == item) is not { } entry)
                {
                    return NotFound();
                }

                if (entry.Status != "conflict")
                {
                    return Error(400, "not_a_conflict", $"Item {item} is {entry.Status}, not in conflict.");
                }

                switch (resolution)
                {
                    case "skip":
                        entry.Status = "skipped";
                        entry.Resolution = "skipped";
                        break;
                    case "import_new":
                        entry.Resolution = "imported_as_new";
                        Import(seller, job, entry, linkTo: null);
                        break;
                    case "link":
                        entry.Resolution = "linked";
                        Import(seller, job, entry, linkTo: FindBySku(seller, entry.External.Sku));
                        break;
                    default:
                        return Error(400, "invalid_resolution", "resolution must be link, import_new or skip.");
                }

                return Json(job.ToJson());
            }
        });
        app.MapPost("/api/v1/marketplace/import/jobs/{uid}/retry-failed/", (HttpContext c, string uid) =>
        {
            var seller = SellerOf(c);
            lock (_gate)
            {
                if (!seller.Jobs.TryGetValue(uid, out var job))
                {
                    return NotFound();
                }

                foreach (var entry in job.Items.Where(i => i.Status == "failed").ToList())
                {
                    Process(seller, job, entry, skipConflicts: false);
                }

                return Json(job.ToJson());
            }
        });
        app.MapPost("/api/v1/marketplace/import/jobs/{uid}/skip-all-conflicts/", (HttpContext c, string uid) =>
        {
            var seller = SellerOf(c);
            lock (_gate)
            {
                if (!seller.Jobs.TryGetValue(uid, out var job))
                {
                    return NotFound();
                }

                foreach (var entry in job.Items.Where(i => i.Status == "conflict"))
                {
                    entry.Status = "skipped";
                    entry.Resolution = "skipped";
                }

                return Json(job.ToJson());
            }
        });
    }

    private Job NewJob(Seller seller, string platform)
    {
        var job = new Job("job_" + Next(), platform, Time.GetUtcNow());
        seller.Jobs[job.Id] = job;
        return job;
    }

    /// <summary>Discovers the platform's listings and marks those that will conflict (duplicate SKU).</summary>
    private void Preview(Seller seller, Job job)
    {
        Discover(seller, job);
        foreach (var entry in job.Items.Where(i => i.Status == "pending"))
        {
            if (FindBySku(seller, entry.External.Sku) is { } existing)
            {
                entry.ConflictPreview = $"SKU matches existing item {existing["uid"]}";
            }
        }
    }

    private void Discover(Seller seller, Job job)
    {
        if (job.Items.Count > 0)
        {
            return;
        }

        foreach (var external in seller.External.TryGetValue(job.Marketplace, out var list) ? list : [])
        {
            job.Items.Add(new JobItem("item_" + Next(), external));
        }
    }

    private async Task RunAsync(Seller seller, Job job, int? limit, bool skipConflicts)
    {
        lock (_gate)
        {
            Discover(seller, job);
        }

        var processed = 0;
        while (limit is null || processed < limit)
        {
            await Task.Delay(Options.ImportItemDelay, Time).ConfigureAwait(false);
            lock (_gate)
            {
                var next = job.Items.FirstOrDefault(i => i.Status == "pending");
                if (next is null)
                {
                    break;
                }

                Process(seller, job, next, skipConflicts);
                processed++;
            }
        }

        lock (_gate)
        {
            var done = job.Items.All(i => i.Status != "pending");
            job.Status = done ? "completed" : "pending";
            job.CompletedAt = done ? Time.GetUtcNow() : null;
        }
    }

    private void Process(Seller seller, Job job, JobItem entry, bool skipConflicts)
    {
        entry.ProcessedAt = Time.GetUtcNow();
        if (entry.External.FailTimes > entry.Attempts)
        {
            entry.Attempts++;
            entry.Status = "failed";
            entry.ErrorCode = entry.External.FailCode;
            entry.ErrorMessage = $"The listing could not be read from {job.Marketplace} ({entry.External.FailCode}).";
            return;
        }

        entry.Attempts++;
        entry.ErrorCode = null;
        entry.ErrorMessage = null;
        if (FindBySku(seller, entry.External.Sku) is { } existing)
        {
            if (skipConflicts)
            {
                entry.Status = "skipped";
                entry.Resolution = "skipped";
                return;
            }

            entry.Status = "conflict";
            entry.ConflictType = "duplicate_sku";
            entry.ConflictDetails = $"SKU matches existing item {existing["uid"]}";
            entry.Resolution = "pending";
            return;
        }

        Import(seller, job, entry, linkTo: null);
    }

    private void Import(Seller seller, Job job, JobItem entry, JsonObject? linkTo)
    {
        var external = entry.External;
        var item = linkTo ?? NewItem(seller, new JsonObject
        {
            ["name"] = external.Title,
            ["manual_sku"] = external.Sku,
            ["price_total_usd"] = external.Price is { } p ? Money(p) : null,
            ["condition_item"] = external.Condition,
        });
        var platform = KnownPlatforms.First(k => k.Slug == job.Marketplace);
        var listings = (JsonArray)item["listings"]!;
        if (LiveListing(item, job.Marketplace) is null)
        {
            listings.Add(new JsonObject
            {
                ["platform"] = job.Marketplace,
                ["listing_id"] = external.ListingId,
                ["listing_url"] = $"{platform.Url}/itm/{external.ListingId}",
                ["status"] = "active",
                ["price"] = external.Price is { } price ? Money(price) : null,
            });
        }

        Touch(item);
        entry.Status = "imported";
        entry.CreatedItemUid = item["uid"]!.GetValue<string>();
    }

    private IResult InventoryList(HttpContext c)
    {
        var seller = SellerOf(c);
        if (PageArgs(c, 10) is not { } args)
        {
            return Error(400, "invalid", "page_size must be between 1 and 100; page from 1.");
        }

        var search = c.Request.Query["search"].ToString();
        var statuses = c.Request.Query["status"].SelectMany(s => (s ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries)).ToHashSet(StringComparer.Ordinal);
        var ordering = c.Request.Query["ordering"].ToString() is { Length: > 0 } o ? o : "-created";
        lock (_gate)
        {
            IEnumerable<JsonObject> items = seller.Items;
            if (search.Length > 0)
            {
                items = items.Where(i => new[] { i["name"], i["manual_sku"], i["manual_description"], i["product"]?["title"], i["product"]?["catalog_number"] }
                    .Any(f => f?.ToString().Contains(search, StringComparison.OrdinalIgnoreCase) == true));
            }

            if (statuses.Count > 0)
            {
                items = items.Where(i => statuses.Contains(i["status"]?.ToString() ?? ""));
            }

            var descending = ordering.StartsWith('-');
            var field = ordering.TrimStart('-') switch { "created" => "created_at", "updated" => "updated_at", "name" or "title" => "name", var f => f };
            var ordered = (descending
                ? items.OrderByDescending(i => i[field]?.ToString(), StringComparer.Ordinal).ThenByDescending(i => i["seq"]!.GetValue<long>())
                : items.OrderBy(i => i[field]?.ToString(), StringComparer.Ordinal).ThenBy(i => i["seq"]!.GetValue<long>())).Select(i => (JsonNode)i).ToList();
            return Page(c, ordered, args.Page, args.Size, i => Public((JsonObject)i)); // only the page is copied
        }
    }

    private static JsonObject Public(JsonObject item)
    {
        var copy = (JsonObject)item.DeepClone();
        copy.Remove("seq");
        return copy;
    }

    private static (int Page, int Size)? PageArgs(HttpContext c, int defaultSize)
    {
        var page = int.TryParse(c.Request.Query["page"], NumberStyles.None, CultureInfo.InvariantCulture, out var p) ? p : 1;
        var size = c.Request.Query["page_size"].Count == 0 ? defaultSize : int.TryParse(c.Request.Query["page_size"], NumberStyles.None, CultureInfo.InvariantCulture, out var s) ? s : -1;
        return page < 1 || size is < 1 or > 100 ? null : (page, size);
    }

    private static IResult Page(HttpContext c, List<JsonNode> all, int page, int size, Func<JsonNode, JsonNode>? copy = null)
    {
        if (all.Count > 0 && (page - 1) * size >= all.Count)
        {
            return Results.Content(new JsonObject { ["detail"] = "Invalid page." }.ToJsonString(), "application/json", statusCode: 404);
        }

        string Link(int p)
        {
            var query = System.Web.HttpUtility.ParseQueryString(c.Request.QueryString.Value ?? "");
            query["page"] = p.ToString(CultureInfo.InvariantCulture);
            return $"{c.Request.Scheme}://{c.Request.Host}{c.Request.Path}?{query}";
        }

        return Json(new JsonObject
        {
            ["count"] = all.Count,
            ["next"] = page * size < all.Count ? Link(page + 1) : null,
            ["previous"] = page > 1 ? Link(page - 1) : null,
            ["results"] = new JsonArray([.. all.Skip((page - 1) * size).Take(size).Select(n => copy?.Invoke(n) ?? n.DeepClone())]),
        });
    }

    /// <summary>The prerequisites of a listing call, in the reference's order: subscription (402), primary address, connection (400).</summary>
    private static IResult? Prerequisite(Seller seller, string platform)
    {
        var known = KnownPlatforms.FirstOrDefault(p => p.Slug == platform);
        if (known.Slug is null)
        {
            return Error(400, "unknown_platform", $"Unknown platform {platform}.");
        }

        if (!known.OAuth)
        {
            return Error(400, "manual_platform", $"{known.Name} listings are created manually through the browser extension.");
        }

        if (!seller.SubscriptionActive)
        {
            return Error(402, "subscription_required", "An active subscription is required to list items.");
        }

        if (!seller.PrimaryAddress)
        {
            return Error(400, "primary_address_required", "A primary address is required before listing. Add one in account settings.");
        }

        return !seller.Connections.ContainsKey(platform)
            ? Error(400, "platform_not_connected", $"No valid connection to {known.Name}. Connect the platform first.")
            : null;
    }

    private static IResult? Invalid(JsonObject body)
    {
        if (body["price_total_usd"] is JsonValue price && (!decimal.TryParse(price.ToString(), NumberStyles.Number, CultureInfo.InvariantCulture, out var amount) || amount < 0 || decimal.Round(amount, 2) != amount))
        {
            return Results.Content(new JsonObject { ["price_total_usd"] = new JsonArray("A valid number with at most 2 decimal places is required.") }.ToJsonString(), "application/json", statusCode: 400);
        }

        return null;
    }

    private JsonObject NewItem(Seller seller, JsonObject body)
    {
        var now = Time.GetUtcNow().ToString("O", CultureInfo.InvariantCulture);
        var uid = "inv_" + Next();
        var name = body["name"]?.ToString();
        var condition = body["condition_item"]?.ToString();
        var item = new JsonObject
        {
            ["uid"] = uid,
            ["title"] = name is null ? null : condition is null ? name : $"{name} - {Display(condition)}",
            ["name"] = name,
            ["product"] = new JsonObject { ["uid"] = body["product_uid"]?.ToString() ?? "prod_" + Next(), ["title"] = name, ["type"] = "physical", ["artist"] = null, ["catalog_number"] = null },
            ["organization"] = new JsonObject { ["uid"] = "org_" + seller.Id, ["display_name"] = seller.Id, ["slug"] = seller.Id, ["default_barcode_type"] = "code128" },
            ["condition_item"] = condition,
            ["condition_item_display"] = condition is null ? null : Display(condition),
            ["condition_container"] = body["condition_container"]?.DeepClone(),
            ["condition_container_display"] = body["condition_container"] is { } container ? Display(container.ToString()) : null,
            ["status"] = body["status"]?.ToString() ?? "ready-to-sell",
            ["status_display"] = "Ready to Sell",
            ["price_total_usd"] = body["price_total_usd"]?.DeepClone(),
            ["price_item_usd"] = body["price_total_usd"]?.DeepClone(),
            ["manual_sku"] = body["manual_sku"]?.DeepClone(),
            ["manual_description"] = body["manual_description"]?.DeepClone(),
            ["assets"] = new JsonArray(),
            ["listings"] = new JsonArray(),
            ["days_in_inventory"] = 0,
            ["created_at"] = now,
            ["updated_at"] = now,
            ["seq"] = Interlocked.Increment(ref _ids),
        };
        foreach (var (key, value) in body)
        {
            if (!item.ContainsKey(key) && key != "product_uid")
            {
                item[key] = value?.DeepClone();
            }
        }

        seller.Items.Add(item);
        seller.ByUid[item["uid"]!.GetValue<string>()] = item;
        return item;
    }

    private void Touch(JsonObject item)
    {
        item["updated_at"] = Time.GetUtcNow().ToString("O", CultureInfo.InvariantCulture);
        if (item["condition_item"]?.ToString() is { } condition)
        {
            item["condition_item_display"] = Display(condition);
        }

        var name = item["name"]?.ToString();
        item["title"] = name is null ? null : item["condition_item"] is null ? name : $"{name} - {item["condition_item_display"]}";
    }

    private JsonObject AddListing(JsonObject item, string platform, decimal price)
    {
        var url = KnownPlatforms.First(p => p.Slug == platform).Url;
        var id = (300_000_000 + Next()).ToString(CultureInfo.InvariantCulture);
        var listing = new JsonObject { ["platform"] = platform, ["listing_id"] = id, ["listing_url"] = $"{url}/itm/{id}", ["status"] = "active", ["price"] = Money(price) };
        ((JsonArray)item["listings"]!).Add(listing);
        Touch(item);
        return listing;
    }

    private static JsonObject? LiveListing(JsonObject item, string platform) =>
        (item["listings"] as JsonArray)?.OfType<JsonObject>().FirstOrDefault(l => l["platform"]?.ToString() == platform && l["status"]?.ToString() == "active");

    private static JsonObject? Find(Seller seller, string uid) => seller.ByUid.GetValueOrDefault(uid);

    private static JsonObject? FindBySku(Seller seller, string? sku) =>
        string.IsNullOrEmpty(sku) ? null : seller.Items.FirstOrDefault(i => i["manual_sku"]?.ToString() == sku);

    private static decimal Price(JsonObject item) =>
        item["price_total_usd"] is JsonValue v && decimal.TryParse(v.ToString(), NumberStyles.Number, CultureInfo.InvariantCulture, out var p) ? p : 0m;

    private static string Money(decimal amount) => amount.ToString("0.00", CultureInfo.InvariantCulture);

    private static string Display(string code) =>
        code.ToUpperInvariant().Replace("_PLUS", "+", StringComparison.Ordinal).Replace("_MINUS", "-", StringComparison.Ordinal).Replace('_', ' ');

    private long Next() => Interlocked.Increment(ref _ids);

    private static Seller SellerOf(HttpContext c) => (Seller)c.Items["seller"]!;

    private static async Task<JsonObject?> Body(HttpContext c)
    {
        if (c.Request.ContentLength is 0 || c.Request.ContentType is null)
        {
            return null;
        }

        try
        {
            return await JsonNode.ParseAsync(c.Request.Body).ConfigureAwait(false) as JsonObject;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static IResult Json(JsonNode body, int status = 200) => Results.Content(body.ToJsonString(), "application/json", statusCode: status);

    private static IResult NotFound() => Error(404, "not_found", "Not found.");

    private static IResult Error(int status, string code, string detail) =>
        Results.Content(new JsonObject { ["detail"] = detail, ["code"] = code }.ToJsonString(), "application/json", statusCode: status);

    /// <inheritdoc />
    protected override Task<(bool Admitted, string? RateKey)> AdmitCoreAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var authorization = context.Request.Headers.Authorization.ToString();
        var key = context.Request.Headers["X-API-Key"].ToString();
        var found = (authorization.StartsWith("Bearer ", StringComparison.Ordinal) && _byCredential.TryGetValue(authorization, out var byToken) ? byToken : null)
            ?? (key.Length > 0 && _byCredential.TryGetValue("Key " + key, out var byKey) ? byKey : null);
        if (found is null)
        {
            return Deny(context);
        }

        context.Items["seller"] = found;
        return Task.FromResult((true, (string?)found.Id));

        static async Task<(bool, string?)> Deny(HttpContext context)
        {
            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync(new JsonObject { ["detail"] = "Authentication credentials were not provided." }.ToJsonString()).ConfigureAwait(false);
            return (false, null);
        }
    }

    /// <inheritdoc />
    protected override IResult ErrorResult(int status, string code, string message) => Error(status, code, message);

    private sealed class Seller(string id)
    {
        public string Id { get; } = id;

        public bool SubscriptionActive { get; set; } = true;

        public bool PrimaryAddress { get; set; } = true;

        public Dictionary<string, string> Connections { get; } = new(StringComparer.OrdinalIgnoreCase);

        public List<JsonObject> Items { get; } = [];

        public Dictionary<string, JsonObject> ByUid { get; } = new(StringComparer.Ordinal);

        public Dictionary<string, List<InsticaExternalListing>> External { get; } = new(StringComparer.OrdinalIgnoreCase);

        public Dictionary<string, Job> Jobs { get; } = new(StringComparer.Ordinal);

        public List<JsonObject> Orders { get; } = [];
    }

    private sealed class Job(string id, string marketplace, DateTimeOffset createdAt)
    {
        public string Id { get; } = id;

        public string Marketplace { get; } = marketplace;

        public string Status { get; set; } = "pending";

        public DateTimeOffset? StartedAt { get; set; }

        public DateTimeOffset? CompletedAt { get; set; }

        public List<JobItem> Items { get; } = [];

        public JsonObject ToJson()
        {
            int Count(string status) => Items.Count(i => i.Status == status);
            var processed = Items.Count(i => i.Status != "pending");
            var failed = Count("failed");
            var conflicted = Count("conflict");
            var summary = string.Join(", ", new[] { failed > 0 ? $"{failed} failed" : null, conflicted > 0 ? $"{conflicted} conflicts" : null }.Where(s => s is not null));
            return new JsonObject
            {
                ["id"] = Id,
                ["marketplace"] = Marketplace,
                ["status"] = Status,
                ["total_listings_found"] = Items.Count,
                ["items_imported"] = Count("imported"),
                ["items_skipped"] = Count("skipped"),
                ["items_failed"] = failed,
                ["items_conflicted"] = conflicted,
                ["has_issues"] = failed + conflicted > 0,
                ["issue_summary"] = summary.Length == 0 ? null : summary,
                ["progress_percentage"] = Items.Count == 0 ? (Status == "completed" ? 100.0 : 0.0) : Math.Round(100.0 * processed / Items.Count, 1),
                ["error_message"] = null,
                ["created_at"] = createdAt.ToString("O", CultureInfo.InvariantCulture),
                ["started_at"] = StartedAt?.ToString("O", CultureInfo.InvariantCulture),
                ["completed_at"] = CompletedAt?.ToString("O", CultureInfo.InvariantCulture),
                ["preview_conflicts"] = Items.Count(i => i.ConflictPreview is not null),
            };
        }
    }

    private sealed class JobItem(string id, InsticaExternalListing external)
    {
        public string Id { get; } = id;

        public InsticaExternalListing External { get; } = external;

        public string Status { get; set; } = "pending";

        public int Attempts { get; set; }

        public string? ConflictType { get; set; }

        public string? ConflictDetails { get; set; }

        public string? ConflictPreview { get; set; }

        public string? ErrorCode { get; set; }

        public string? ErrorMessage { get; set; }

        public string? Resolution { get; set; }

        public string? CreatedItemUid { get; set; }

        public DateTimeOffset? ProcessedAt { get; set; }

        public JsonObject ToJson() => new()
        {
            ["id"] = Id,
            ["external_listing_id"] = External.ListingId,
            ["external_sku"] = External.Sku,
            ["status"] = Status,
            ["listing_title"] = External.Title,
            ["listing_price"] = External.Price?.ToString("0.00", CultureInfo.InvariantCulture),
            ["conflict_type"] = ConflictType,
            ["conflict_details"] = ConflictDetails,
            ["error_message"] = ErrorMessage,
            ["error_code"] = ErrorCode,
            ["resolution"] = Resolution ?? (Status == "conflict" ? "pending" : null),
            ["created_inventory_item_uid"] = CreatedItemUid,
            ["processed_at"] = ProcessedAt?.ToString("O", CultureInfo.InvariantCulture),
        };
    }
}
