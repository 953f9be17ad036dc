using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using ListingSync.Sdk.Webhooks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace ListingSync.Sdk.Testing.Managem;

public sealed partial class ManagemEmulator
{
    private static readonly string[] KnownEvents = ["LISTING_CREATED", "LISTING_UPDATED", "LISTING_DELETED", "ORDER_CREATED", "ORDER_UPDATED", "TEST"];
    private const string ImportHeader = "MODE,URN,GAME,SET,NAME,CARDMARKET_ID,TCGPLAYER_ID,CONDITION,PRICE,QUANTITY,VARIANTS,HIDDEN,COMMENT,NOTES,REFERENCE";

    /// <summary>Webhook deliveries queued or in flight.</summary>
    public int PendingWebhookDeliveries => _webhooks.Pending;

    /// <inheritdoc />
    protected override Task<(bool Admitted, string? RateKey)> AdmitCoreAsync(HttpContext context)
    {
        var auth = context.Request.Headers.Authorization.ToString();
        var space = auth.IndexOf(' ', StringComparison.Ordinal);
        var scheme = space > 0 ? auth[..space] : string.Empty;
        var token = space > 0 ? auth[(space + 1)..] : string.Empty;
        if (scheme is not ("Bearer" or "ApiKey") || !_sellersByToken.TryGetValue(token, out var seller))
        {
            return Answer(Error(StatusCodes.Status401Unauthorized, "UNAUTHORIZED", "Missing or unknown token"));
        }

        context.Items["seller"] = seller;
        return Task.FromResult<(bool, string?)>((true, seller.SellerId));

        async Task<(bool, string?)> Answer(IResult result)
        {
            await result.ExecuteAsync(context).ConfigureAwait(false);
            return (false, null);
        }
    }

    /// <inheritdoc />
    protected override IResult ErrorResult(int status, string code, string message) => Error(status, code, message);

    /// <inheritdoc />
    protected override void MapRoutes(WebApplication app)
    {
        // Seller
        app.MapGet("/seller", (HttpContext c) => Results.Json(new { id = S(c).SellerId, email = $"{S(c).SellerId}@sellers.example", country = "GB", defaultCurrency = "gbp", detailsSubmitted = true, chargesEnabled = true, payoutsEnabled = true }));
        app.MapGet("/seller/status", (HttpContext c) => Results.Json(new { sellerId = S(c).SellerId, status = "ACTIVE", chargesEnabled = true, payoutsEnabled = true }));

        // Items
        app.MapPost("/items/lookup", async (HttpContext c) =>
        {
            var body = await Body(c).ConfigureAwait(false);
            var urns = body?["urns"]?.AsArray().Select(u => u?.GetValue<string>() ?? "").ToList() ?? [];
            if (urns.Count > 200)
            {
                return Validation(("urns", "max-count", "at most 200 URNs per call"));
            }

            return Results.Json(urns.Select(Catalogue.ByUrn).Where(i => i is not null), Json);
        });
        app.MapGet("/items/cardmarket/{id:long}", (long id) => Catalogue.ByCardmarketId(id) is { } item ? Results.Json(item, Json) : Error(404, "NOT_FOUND", "No item with this Cardmarket id"));
        app.MapGet("/items/tcgplayer/{id:long}", (long id) => Catalogue.ByTcgplayerId(id) is { } item ? Results.Json(item, Json) : Error(404, "NOT_FOUND", "No item with this TCGplayer id"));
        app.MapPost("/search", async (HttpContext c) =>
        {
            var body = await Body(c).ConfigureAwait(false);
            var query = body?["query"]?.GetValue<string>() ?? "";
            var games = Facet(body, "Game");
            var sets = Facet(body, "Set");
            var size = body?["size"]?.GetValue<int>() ?? 10;
            var from = body?["from"]?.GetValue<int>() ?? 0;
            if (size is < 1 or > 50)
            {
                return Validation(("size", "range", "must be between 1 and 50"));
            }

            var hits = Catalogue.Items.Where(i => i.Name.Contains(query, StringComparison.OrdinalIgnoreCase)
                    && (games.Count == 0 || games.Contains(i.Game, StringComparer.OrdinalIgnoreCase))
                    && (sets.Count == 0 || sets.Contains(i.Set.Name, StringComparer.OrdinalIgnoreCase)))
                .ToList();
            return Results.Json(new { total = hits.Count, hits = hits.Skip(from).Take(size) }, Json);
        });

        // Listings
        app.MapPost("/seller/listings/search", async (HttpContext c) =>
        {
            var body = await Body(c).ConfigureAwait(false);
            var from = body?["from"]?.GetValue<int>() ?? 0;
            var size = body?["size"]?.GetValue<int>() ?? 25;
            if (size is < 1 or > 50)
            {
                return Validation(("size", "range", "must be between 1 and 50"));
            }

            if (from < 0)
            {
                return Validation(("from", "min", "must not be negative"));
            }

            var query = body?["query"]?.GetValue<string>();
            var games = Facet(body, "Game");
            var hidden = Facet(body, "Hidden");
            var sortField = body?["sorting"]?["field"]?.GetValue<string>();
            var descending = body?["sorting"]?["order"]?.GetValue<string>() == "desc";
            var state = S(c);
            lock (state)
            {
                IEnumerable<EmulatedListing> all = state.Ordered;
                var filtered = !string.IsNullOrEmpty(query) || games.Count > 0 || hidden.Count > 0 || sortField is not null;
                if (!filtered)
                {
                    // The common case, kept O(page) so a 100,000-listing catalogue pages quickly.
                    var page = state.Ordered.Skip(from).Take(size).ToList();
                    return Results.Json(new { total = state.Ordered.Count, hits = page }, Json);
                }

                if (!string.IsNullOrEmpty(query))
                {
                    all = all.Where(l => l.Item.Name.Contains(query, StringComparison.OrdinalIgnoreCase));
                }

                if (games.Count > 0)
                {
                    all = all.Where(l => games.Contains(l.Item.Game, StringComparer.OrdinalIgnoreCase));
                }

                if (hidden.Count > 0)
                {
                    all = all.Where(l => l.Hidden == hidden.Contains("Hidden"));
                }

                all = sortField switch
                {
                    "price" => descending ? all.OrderByDescending(l => l.Price) : all.OrderBy(l => l.Price),
                    "name" => descending ? all.OrderByDescending(l => l.Item.Name) : all.OrderBy(l => l.Item.Name),
                    "createdAt" => descending ? all.OrderByDescending(l => l.CreatedAt) : all.OrderBy(l => l.CreatedAt),
                    _ => all,
                };
                var list = all.ToList();
                return Results.Json(new { total = list.Count, hits = list.Skip(from).Take(size) }, Json);
            }
        });
        app.MapGet("/seller/listings/items", (HttpContext c) =>
        {
            var urns = c.Request.Query["urn"].Select(u => u ?? "").ToHashSet(StringComparer.Ordinal);
            var state = S(c);
            lock (state)
            {
                // Through the URN index, in the order the listings were created (as a scan of every listing would give).
                return Results.Json(urns.SelectMany(u => state.ByUrn.GetValueOrDefault(u) ?? []).OrderBy(l => l.Sequence).ToList(), Json);
            }
        });
        app.MapGet("/seller/listings/{id}", (HttpContext c, string id) =>
        {
            var state = S(c);
            lock (state)
            {
                return state.ById.TryGetValue(id, out var listing) ? Results.Json(listing, Json) : Error(404, "NOT_FOUND", $"No listing '{id}'");
            }
        });
        app.MapPost("/seller/listings/bulk", async (HttpContext c) =>
        {
            var body = await Body(c).ConfigureAwait(false);
            if (body?["listings"] is not JsonArray rows)
            {
                return Validation(("listings", "required", "is required"));
            }

            if (rows.Count > 200)
            {
                return Validation(("listings", "max-count", "at most 200 listings per call"));
            }

            var state = S(c);
            var successful = new List<string>();
            var failed = new List<string>();
            lock (state)
            {
                foreach (var row in rows)
                {
                    var urn = row?["urn"]?.GetValue<string>() ?? "";
                    var price = row?["price"]?.GetValue<long>() ?? -1;
                    var quantity = row?["quantity"]?.GetValue<int>() ?? -1;
                    var condition = row?["condition"]?.GetValue<string>();
                    var reference = row?["reference"]?.GetValue<string>()?.Trim();
                    var item = Catalogue.ByUrn(urn);
                    if (item is null || price < 0 || quantity < 0 || string.IsNullOrEmpty(condition) || reference is { Length: > 255 })
                    {
                        failed.Add(urn);
                        continue;
                    }

                    var listing = NewListing(state, item, price, quantity, reference);
                    Apply(listing, row!);
                    state.Add(listing);
                    successful.Add(urn);
                    Emit(state, "LISTING_CREATED", ListingEventData(listing));
                }
            }

            return AppliedThenFailed() ?? Results.Json(new { successful, failed }, Json);
        });
        app.MapPut("/seller/listings/{id}", async (HttpContext c, string id) =>
        {
            var body = await Body(c).ConfigureAwait(false);
            if (body is null)
            {
                return Validation(("body", "required", "is required"));
            }

            var errors = new List<(string, string, string)>();
            if (body["price"]?.GetValue<long>() is < 0)
            {
                errors.Add(("price", "min", "must be >= 0"));
            }

            if (body["quantity"]?.GetValue<int>() is < 0)
            {
                errors.Add(("quantity", "min", "must be >= 0"));
            }

            if (body["reference"]?.GetValue<string>()?.Trim() is { Length: > 255 })
            {
                errors.Add(("reference", "max-length", "must be at most 255 characters"));
            }

            if (body["urn"] is not null)
            {
                errors.Add(("urn", "immutable", "cannot be changed"));
            }

            if (errors.Count > 0)
            {
                return Validation([.. errors]);
            }

            var state = S(c);
            lock (state)
            {
                if (!state.ById.TryGetValue(id, out var listing))
                {
                    return Error(404, "NOT_FOUND", $"No listing '{id}'");
                }

                Apply(listing, body);
                listing.UpdatedAt = NextUpdateStamp(listing.UpdatedAt);
                Emit(state, "LISTING_UPDATED", ListingEventData(listing));
                return AppliedThenFailed() ?? Results.Json(listing, Json);
            }
        });
        app.MapDelete("/seller/listings/{id}", (HttpContext c, string id) =>
        {
            var state = S(c);
            lock (state)
            {
                if (!state.ById.TryGetValue(id, out var listing))
                {
                    return Error(404, "NOT_FOUND", $"No listing '{id}'");
                }

                state.Remove(listing);
                Emit(state, "LISTING_DELETED", new { listing = new { id = listing.Id, urn = listing.Item.Urn } });
                return AppliedThenFailed() ?? Results.NoContent();
            }
        });

        MapWebhooks(app);
        MapImports(app);
    }

    private void MapWebhooks(WebApplication app)
    {
        app.MapPost("/seller/webhooks", async (HttpContext c) =>
        {
            var body = await Body(c).ConfigureAwait(false);
            if (WebhookErrors(body, requireAll: true) is { } invalid)
            {
                return invalid;
            }

            var state = S(c);
            var now = Time.GetUtcNow();
            var webhook = new EmulatedWebhook
            {
                Id = NextId("wh"),
                Secret = StandardWebhookSigner.NewSecret(),
                CreatedAt = now,
                UpdatedAt = now,
                MaxConsecutiveFailures = Options.MaxConsecutiveFailures,
            };
            ApplyWebhook(webhook, body!);
            lock (state)
            {
                state.Webhooks[webhook.Id] = webhook;
            }

            return Results.Json(webhook, Json, statusCode: 201);
        });
        app.MapGet("/seller/webhooks", (HttpContext c) =>
        {
            var state = S(c);
            lock (state)
            {
                return Results.Json(state.Webhooks.Values.ToList(), Json);
            }
        });
        app.MapGet("/seller/webhooks/{id}", (HttpContext c, string id) => WithWebhook(c, id, w => Results.Json(w, Json)));
        app.MapPatch("/seller/webhooks/{id}", async (HttpContext c, string id) =>
        {
            var body = await Body(c).ConfigureAwait(false);
            return WebhookErrors(body, requireAll: false) ?? WithWebhook(c, id, w =>
            {
                ApplyWebhook(w, body!);
                if (w.Enabled)
                {
                    w.ConsecutiveFailures = 0;
                }

                return Results.Json(w, Json);
            });
        });
        app.MapPut("/seller/webhooks/{id}/subscriptions", async (HttpContext c, string id) =>
        {
            var body = await Body(c).ConfigureAwait(false);
            var events = body?["events"]?.AsArray().Select(e => e?.GetValue<string>() ?? "").ToList() ?? [];
            if (events.Count == 0 || events.Any(e => !KnownEvents.Contains(e)))
            {
                return Validation(("events", "enum", "must list at least one of " + string.Join(", ", KnownEvents)));
            }

            return WithWebhook(c, id, w =>
            {
                w.Subscriptions = events;
                w.UpdatedAt = Time.GetUtcNow();
                return Results.Json(w, Json);
            });
        });
        app.MapDelete("/seller/webhooks/{id}", (HttpContext c, string id) =>
        {
            var state = S(c);
            lock (state)
            {
                return state.Webhooks.Remove(id) ? Results.NoContent() : Error(404, "NOT_FOUND", $"No webhook '{id}'");
            }
        });
        app.MapPost("/seller/webhooks/{id}/test", async (HttpContext c, string id) =>
        {
            var state = S(c);
            EmulatedWebhook? webhook;
            lock (state)
            {
                webhook = state.Webhooks.GetValueOrDefault(id);
            }

            if (webhook is null)
            {
                return Error(404, "NOT_FOUND", $"No webhook '{id}'");
            }

            var evt = new EmulatedEvent(NextId("evt"), "TEST", Time.GetUtcNow(), new { message = "Test delivery from the Managem emulator" });
            var (status, ms) = await _webhooks.SendAsync(webhook, evt, c.RequestAborted).ConfigureAwait(false);
            return Results.Json(new { statusCode = status, responseTime = ms }, Json);
        });
        app.MapGet("/seller/webhooks/{id}/failures", (HttpContext c, string id, int? limit) =>
        {
            var take = limit ?? 20;
            if (take is < 1 or > 100)
            {
                return Validation(("limit", "range", "must be between 1 and 100"));
            }

            return WithWebhook(c, id, w => Results.Json(new { failures = w.Failures.AsEnumerable().Reverse().Take(take).ToList() }, Json));
        });
    }

    private void MapImports(WebApplication app)
    {
        app.MapPost("/seller/imports", async (HttpContext c) =>
        {
            if (!c.Request.HasFormContentType)
            {
                return Validation(("file", "required", "send multipart/form-data with a 'file' field"));
            }

            var form = await c.Request.ReadFormAsync(c.RequestAborted).ConfigureAwait(false);
            if (form.Files.GetFile("file") is not { } file)
            {
                return Validation(("file", "required", "send multipart/form-data with a 'file' field"));
            }

            // Parsed as CSV (quoted commas, quotes and newlines), as Managem does before it stores the file.
            using var reader = new StreamReader(file.OpenReadStream());
            using var parser = new CsvHelper.CsvParser(reader, new CsvHelper.Configuration.CsvConfiguration(CultureInfo.InvariantCulture) { HasHeaderRecord = false, BadDataFound = null });
            if (!await parser.ReadAsync().ConfigureAwait(false))
            {
                return Validation(("file", "not-empty", "the file is empty"));
            }

            if (!string.Equals(string.Join(',', parser.Record!), ImportHeader, StringComparison.Ordinal))
            {
                return Validation(("file", "header", $"the header must be exactly {ImportHeader} (found {string.Join(',', parser.Record!)})"));
            }

            var rows = new List<ImportRowData>();
            while (await parser.ReadAsync().ConfigureAwait(false))
            {
                var record = parser.Record!;
                if (record.Length == 1 && record[0].Length == 0)
                {
                    continue; // a blank line
                }

                rows.Add(new ImportRowData(parser.Row, parser.RawRecord.TrimEnd('\r', '\n'), record));
                if (rows.Count > 2_000_000)
                {
                    return Validation(("file", "max-rows", "at most 2,000,000 rows"));
                }
            }

            var now = Time.GetUtcNow();
            var import = new EmulatedImport { Id = NextId("imp"), Total = rows.Count, CreatedAt = now, UpdatedAt = now, Key = $"imports/{Guid.NewGuid():N}.csv", Rows = [.. rows], Status = rows.Count == 0 ? "COMPLETED" : "RUNNING" };
            var state = S(c);
            lock (state)
            {
                state.Imports[import.Id] = import;
            }

            return Results.Json(import, Json, statusCode: 201);
        });
        app.MapGet("/seller/imports", (HttpContext c) =>
        {
            var state = S(c);
            lock (state)
            {
                return Results.Json(state.Imports.Values.OrderByDescending(i => i.CreatedAt).ToList(), Json);
            }
        });
        app.MapGet("/seller/imports/{id}", (HttpContext c, string id) => WithImport(c, id, i => Results.Json(i, Json)));
        app.MapGet("/seller/imports/{id}/errors", (HttpContext c, string id) => WithImport(c, id, i => Results.Json(new { errors = i.Errors }, Json)));
        foreach (var (action, from, to) in new[] { ("pause", "RUNNING", "PAUSED"), ("resume", "PAUSED", "RUNNING"), ("terminate", "*", "TERMINATED") })
        {
            app.MapPost($"/seller/imports/{{id}}/{action}", (HttpContext c, string id) => WithImport(c, id, i =>
            {
                if (i.Status == to)
                {
                    return Results.Json(i, Json); // idempotent
                }

                if (from != "*" && i.Status != from || i.Status is "COMPLETED" or "TERMINATED")
                {
                    return Error(409, "INVALID_STATE", $"Cannot {action} an import that is {i.Status}");
                }

                i.Status = to;
                i.UpdatedAt = Time.GetUtcNow();
                return Results.Json(i, Json);
            }));
        }
    }

    private static SellerState S(HttpContext context) => (SellerState)context.Items["seller"]!;

    private static async Task<JsonNode?> Body(HttpContext context)
    {
        try
        {
            return await JsonNode.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted).ConfigureAwait(false);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static List<string> Facet(JsonNode? body, string name) =>
        body?["facets"]?[name]?.AsArray().Select(v => v?.GetValue<string>() ?? "").ToList() ?? [];

    private static IResult Error(int status, string code, string message) =>
        Results.Json(new { code, message, errors = Array.Empty<object>() }, Json, statusCode: status);

    private static IResult Validation(params (string Field, string Rule, string Message)[] errors) =>
        Results.Json(new { code = "VALIDATION_ERROR", message = "The request is invalid", errors = errors.Select(e => new { field = e.Field, rule = e.Rule, message = e.Message }) }, Json, statusCode: 400);

    private static void Apply(EmulatedListing listing, JsonNode row)
    {
        if (row["condition"]?.GetValue<string>() is { } condition) listing.Condition = condition;
        if (row["price"]?.GetValue<long>() is { } price) listing.Price = price;
        if (row["language"]?.GetValue<string>() is { } language) listing.Language = language;
        if (row["quantity"]?.GetValue<int>() is { } quantity)
        {
            listing.Available = Math.Max(0, listing.Available + (quantity - listing.Quantity));
            listing.Quantity = quantity;
        }

        if (row["variants"] is JsonArray variants) listing.Variants = variants.Select(v => v?.GetValue<string>() ?? "").ToList();
        if (row["hidden"]?.GetValue<bool>() is { } hidden) listing.Hidden = hidden;
        if (row["comment"] is { } comment) listing.Comment = comment.GetValue<string>();
        if (row["notes"] is { } notes) listing.Notes = notes.GetValue<string>();
        if (row["gradingProvider"] is { } gp) listing.GradingProvider = gp.GetValue<string>();
        if (row["gradingScore"] is { } gs) listing.GradingScore = gs.GetValue<string>();
        if (row["gradingNumber"] is { } gn) listing.GradingNumber = gn.GetValue<string>();
        if (row["reference"] is { } reference) listing.Reference = NormalizeReference(reference.GetValue<string>());
        listing.Valid = listing.Price < 2000 && listing.GradingProvider is null;
    }

    private static IResult? WebhookErrors(JsonNode? body, bool requireAll)
    {
        if (body is null)
        {
            return Validation(("body", "required", "is required"));
        }

        var errors = new List<(string, string, string)>();
        var url = body["url"]?.GetValue<string>();
        if ((requireAll || url is not null) && (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https")))
        {
            errors.Add(("url", "uri", "must be an absolute http(s) URL"));
        }

        var subscriptions = body["subscriptions"] as JsonArray;
        if ((requireAll || subscriptions is not null) && (subscriptions is null || subscriptions.Count == 0 || subscriptions.Any(s => !KnownEvents.Contains(s?.GetValue<string>()))))
        {
            errors.Add(("subscriptions", "enum", "must list at least one of " + string.Join(", ", KnownEvents)));
        }

        if (body["description"]?.GetValue<string>() is { Length: > 1024 })
        {
            errors.Add(("description", "max-length", "must be at most 1024 characters"));
        }

        return errors.Count > 0 ? Validation([.. errors]) : null;
    }

    private void ApplyWebhook(EmulatedWebhook webhook, JsonNode body)
    {
        if (body["url"]?.GetValue<string>() is { } url) webhook.Url = url;
        if (body["enabled"]?.GetValue<bool>() is { } enabled) webhook.Enabled = enabled;
        if (body["description"] is { } description) webhook.Description = description.GetValue<string>();
        if (body["subscriptions"] is JsonArray subscriptions) webhook.Subscriptions = subscriptions.Select(s => s!.GetValue<string>()).ToList();
        if (body["additionalHeaders"] is JsonObject headers) webhook.AdditionalHeaders = headers.ToDictionary(h => h.Key, h => h.Value?.GetValue<string>() ?? "");
        webhook.UpdatedAt = Time.GetUtcNow();
    }

    private static IResult WithWebhook(HttpContext c, string id, Func<EmulatedWebhook, IResult> action)
    {
        var state = S(c);
        lock (state)
        {
            return state.Webhooks.TryGetValue(id, out var webhook) ? action(webhook) : Error(404, "NOT_FOUND", $"No webhook '{id}'");
        }
    }

    private static IResult WithImport(HttpContext c, string id, Func<EmulatedImport, IResult> action)
    {
        var state = S(c);
        lock (state)
        {
            return state.Imports.TryGetValue(id, out var import) ? action(import) : Error(404, "NOT_FOUND", $"No import '{id}'");
        }
    }
}
