// ListingSync JTL channel host: your shop is the marketplace ("channel") for sellers using JTL-Wawi. It pulls the
// sellers' offer events, lists the offers in a local SQLite catalogue, reports their status back (in progress, listed
// or failed) and follows stock updates with a stored cursor. Runs against the JTL emulator unless --base-url is given.
//
//   dotnet run --project samples/ListingSync.JtlChannel [-- --offers 25] [--catalogue jtl.db]
//   dotnet run --project samples/ListingSync.JtlChannel -- --base-url https://scx-sbx.api.jtl-software.com --refresh-token TOKEN
using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json.Nodes;
using ListingSync.JtlChannel;
using ListingSync.Sdk;
using ListingSync.Sdk.Channels;
using ListingSync.Sdk.Channels.Jtl;
using ListingSync.Sdk.DependencyInjection;
using System.CommandLine;
using ListingSync.Samples;
using ListingSync.Sdk.Model;
using ListingSync.Sdk.Testing.Jtl;
using ListingSync.Sdk.Webhooks;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

var offersOption = new Option<int>("--offers") { Description = "offers the two emulated sellers publish", DefaultValueFactory = _ => 25 }
    .Must(n => n is > 0 and < 100_000, "--offers must be between 1 and 99999.");
var catalogueOption = new Option<FileInfo?>("--catalogue") { Description = "SQLite file of the channel's catalogue (default: a temporary file, deleted at the end)" };
var baseUrlOption = new Option<string?>("--base-url") { Description = "a real JTL Channel API address instead of the emulator (needs --refresh-token)" }
    .Must(u => u is null || (Uri.TryCreate(u, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"), "--base-url must be an absolute http(s) URL, e.g. https://scx-sbx.api.jtl-software.com.");
var refreshTokenOption = new Option<string?>("--refresh-token") { Description = "the channel's refresh token for --base-url" };
var root = new RootCommand("A JTL channel host: lists the offers JTL sends in a SQLite catalogue, reports their status and follows stock with a stored cursor.")
{
    offersOption, catalogueOption, baseUrlOption, refreshTokenOption,
};
root.Validators.Add(r =>
{
    if (r.GetResult(baseUrlOption) is not null && r.GetResult(refreshTokenOption) is null)
    {
        r.AddError("--base-url needs --refresh-token.");
    }
});
var parsed = false;
root.SetAction(_ => parsed = true);
var exitCode = await root.RunAsync(args);
if (!parsed)
{
    return exitCode; // 0 after --help, 2 after a bad value
}

var parse = root.Parse(args);
Uri? baseUrl = parse.GetValue(baseUrlOption) is { } url ? new Uri(url) : null;
var refreshToken = parse.GetValue(refreshTokenOption);
var cataloguePath = parse.GetValue(catalogueOption)?.FullName;
var offers = parse.GetValue(offersOption);

JtlChannelEmulator? emulator = null;
if (baseUrl is null)
{
    emulator = await JtlChannelEmulator.StartAsync();
    (baseUrl, refreshToken) = (emulator.BaseAddress, emulator.Options.RefreshToken);
    SimulateErp(emulator, offers);
    Console.WriteLine($"JTL emulator on {baseUrl}: two sellers published {offers} offers, changed some, ended one; one event is malformed.");
}

var temporary = cataloguePath is null;
cataloguePath ??= Path.Combine(Path.GetTempPath(), $"listingsync-jtl-{Guid.NewGuid():N}.db");
var services = new ServiceCollection();
services.AddSingleton(new Catalogue(cataloguePath));
services.AddSingleton<StatusOutbox>();
services.AddListingSync()
    .AddJtl(o =>
    {
        o.BaseAddress = baseUrl;
        o.RefreshToken = refreshToken;
    })
    .AddSqliteMappingStore(cataloguePath)
    .AddEventProcessing()
    .AddEventHandler<CatalogueHandler>(ListingEventKind.ListingCreated, ListingEventKind.ListingUpdated, ListingEventKind.ListingDeleted, ListingEventKind.StockChanged, ListingEventKind.PriceChanged);
var exit = 0;
await using (var provider = services.BuildServiceProvider())
{
    var poller = provider.GetRequiredService<JtlEventPoller>();
    var channel = provider.GetRequiredService<ListingSync.Sdk.Channels.Jtl.JtlChannel>();
    var outbox = provider.GetRequiredService<StatusOutbox>();
    var catalogue = provider.GetRequiredService<Catalogue>();
    try
    {
        // 1. Pull until nothing new arrives; report each batch's outcomes back to the sellers.
        var failures = new List<JtlEventFailure>();
        for (var round = 1; ; round++)
        {
            var result = await poller.PollOnceAsync();
            failures.AddRange(result.Failed);
            var reports = await outbox.FlushAsync(channel);
            Console.WriteLine($"Pull {round}: {result.Received} events, {result.Processed} processed, {result.Duplicates} duplicates, {result.Failed.Count} left for redelivery; {reports} status reports sent.");
            if (result.Received == 0 || result.Processed + result.Duplicates == 0)
            {
                break;
            }
        }

        foreach (var failure in failures.DistinctBy(f => f.EventId))
        {
            Console.WriteLine($"  unreadable: {failure.EventId} ({failure.Type}) {failure.Field}: {failure.Reason}");
        }

        // 2. Follow stock for all sellers from the stored cursor.
        var changes = 0;
        await foreach (var change in provider.GetRequiredService<JtlStockFollower>().ReadAsync(start: DateTimeOffset.UnixEpoch))
        {
            catalogue.SetQuantity(change.SellerId, change.OfferId, (int)change.Quantity);
            changes++;
        }

        Console.WriteLine($"Stock: {changes} changes applied; cursor now {await provider.GetRequiredService<JtlStockFollower>().GetCursorAsync(null):O}.");

        // 3. The catalogue.
        var rows = catalogue.Rows();
        Console.WriteLine();
        Console.WriteLine($"Catalogue ({rows.Count} offers):");
        foreach (var row in rows.Take(12))
        {
            Console.WriteLine($"  {row.SellerId,-9} {row.OfferId,6} {row.Status,-8} {row.Price,8} {row.Currency} x{row.Quantity,-4} {row.Title}");
        }

        if (rows.Count > 12)
        {
            Console.WriteLine($"  … and {rows.Count - 12} more");
        }

        if (emulator is not null)
        {
            Console.WriteLine($"Reports received by JTL: {string.Join(", ", emulator.Reports.GroupBy(r => r.Kind).OrderBy(g => g.Key).Select(g => $"{g.Key} {g.Count()}"))}; unacknowledged events: {emulator.Unacknowledged}.");
            exit = emulator.Unacknowledged == 1 && rows.Count == offers ? 0 : 1;
        }
    }
    catch (ListingSyncException ex)
    {
        Console.Error.WriteLine($"Stopped: {ex.Message}");
        exit = 1;
    }
}

if (emulator is not null)
{
    await emulator.DisposeAsync();
}

if (temporary)
{
    SqliteConnection.ClearAllPools();
    foreach (var file in new[] { cataloguePath, cataloguePath + "-wal", cataloguePath + "-shm" })
    {
        File.Delete(file);
    }
}

return exit;

static void SimulateErp(JtlChannelEmulator emulator, int offers)
{
    for (var i = 1; i <= offers; i++)
    {
        var seller = i % 2 == 0 ? "seller-b" : "seller-a";
        emulator.PublishOffer(seller, 1000 + i, $"Offer {i}", i == 3 ? 0m : 4.99m + i, 5 + i, numbersAsStrings: i % 3 == 0);
    }

    emulator.PublishOffer("seller-a", 1001, "Offer 1 (new title)", 6.49m, 6, update: true);
    emulator.UpdateStock("seller-b", 1002, 2);
    emulator.UpdatePrice("seller-a", 1005, 8.88m);
    emulator.EndOffer("seller-b", 1004);
    emulator.Publish("Seller:Offer.New", new JsonObject { ["sellerId"] = "seller-a", ["offerId"] = 9999, ["quantity"] = "lots" });
}

namespace ListingSync.JtlChannel
{
    /// <summary>The shop's catalogue: one row per offer, in SQLite.</summary>
    internal sealed class Catalogue
    {
        private readonly string _connection;

        public Catalogue(string path)
        {
            _connection = new SqliteConnectionStringBuilder { DataSource = path, Pooling = true }.ToString();
            Execute("CREATE TABLE IF NOT EXISTS catalogue (seller_id TEXT NOT NULL, offer_id INTEGER NOT NULL, title TEXT, price TEXT, currency TEXT, quantity INTEGER, status TEXT NOT NULL, PRIMARY KEY (seller_id, offer_id))");
        }

        public void Upsert(string seller, long offer, string? title, decimal? price, string? currency, int? quantity, string status) => Execute(
            """
            INSERT INTO catalogue (seller_id, offer_id, title, price, currency, quantity, status) VALUES ($s, $o, $t, $p, $c, $q, $st)
            ON CONFLICT (seller_id, offer_id) DO UPDATE SET title = coalesce($t, title), price = coalesce($p, price), currency = coalesce($c, currency),
                quantity = coalesce($q, quantity), status = $st
            """,
            ("$s", seller), ("$o", offer), ("$t", title), ("$p", price?.ToString(CultureInfo.InvariantCulture)), ("$c", currency), ("$q", quantity), ("$st", status));

        public void SetQuantity(string seller, long offer, int quantity) =>
            Execute("UPDATE catalogue SET quantity = $q WHERE seller_id = $s AND offer_id = $o", ("$q", quantity), ("$s", seller), ("$o", offer));

        public string? StatusOf(string seller, long offer)
        {
            using var connection = new SqliteConnection(_connection);
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "SELECT status FROM catalogue WHERE seller_id = $s AND offer_id = $o";
            command.Parameters.AddWithValue("$s", seller);
            command.Parameters.AddWithValue("$o", offer);
            return command.ExecuteScalar() as string;
        }

        public List<(string SellerId, long OfferId, string Status, string Price, string Currency, long Quantity, string Title)> Rows()
        {
            using var connection = new SqliteConnection(_connection);
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "SELECT seller_id, offer_id, status, coalesce(price, ''), coalesce(currency, ''), coalesce(quantity, 0), coalesce(title, '') FROM catalogue ORDER BY offer_id";
            using var reader = command.ExecuteReader();
            var rows = new List<(string, long, string, string, string, long, string)>();
            while (reader.Read())
            {
                rows.Add((reader.GetString(0), reader.GetInt64(1), reader.GetString(2), reader.GetString(3), reader.GetString(4), reader.GetInt64(5), reader.GetString(6)));
            }

            return rows;
        }

        private void Execute(string sql, params (string Name, object? Value)[] parameters)
        {
            using var connection = new SqliteConnection(_connection);
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = sql;
            foreach (var (name, value) in parameters)
            {
                command.Parameters.AddWithValue(name, value ?? DBNull.Value);
            }

            command.ExecuteNonQuery();
        }
    }

    /// <summary>Status reports waiting to be sent, per seller; sent in batches after each pull.</summary>
    internal sealed class StatusOutbox
    {
        private readonly ConcurrentQueue<(SellerScope Seller, ListingStatusReport Report)> _queue = new();

        public void Add(SellerScope seller, ListingStatusReport report) => _queue.Enqueue((seller, report));

        public async Task<int> FlushAsync(ListingSync.Sdk.Channels.Jtl.JtlChannel channel)
        {
            var items = new List<(SellerScope Seller, ListingStatusReport Report)>();
            while (_queue.TryDequeue(out var item))
            {
                items.Add(item);
            }

            foreach (var group in items.GroupBy(i => i.Seller))
            {
                var results = await channel.ReportStatusAsync(group.Key, [.. group.Select(g => g.Report)]);
                foreach (var failed in results.Where(r => !r.IsSuccess))
                {
                    Console.WriteLine($"  report for offer {failed.Reference} not accepted: {string.Join("; ", failed.Errors)}");
                }
            }

            return items.Count;
        }
    }

    /// <summary>Lists offers in the catalogue and queues the status reports (in progress, then listed or failed).</summary>
    internal sealed class CatalogueHandler(Catalogue catalogue, StatusOutbox outbox, TimeProvider time) : IListingEventHandler
    {
        public Task HandleAsync(ListingEvent e, CancellationToken cancellationToken)
        {
            var offer = long.Parse(e.ListingId!, CultureInfo.InvariantCulture);
            var seller = e.Seller.SellerId;
            switch (e.Kind)
            {
                case ListingEventKind.ListingCreated or ListingEventKind.ListingUpdated:
                    var listing = e.Listing!;
                    var now = time.GetUtcNow();
                    if (catalogue.StatusOf(seller, offer) is null)
                    {
                        outbox.Add(e.Seller, new ListingStatusReport { OfferId = e.ListingId!, Status = ListingStatusKind.InProgress, At = now });
                    }

                    if (listing.Price.Amount <= 0)
                    {
                        catalogue.Upsert(seller, offer, listing.Item.Name, listing.Price.Amount, listing.Price.Currency, listing.Quantity, "failed");
                        outbox.Add(e.Seller, new ListingStatusReport { OfferId = e.ListingId!, Status = ListingStatusKind.Failed, At = now.AddTicks(1), Errors = [new FieldError("priceList", "PRICE_REQUIRED", "The shop lists offers with a price above zero only.")] });
                    }
                    else
                    {
                        catalogue.Upsert(seller, offer, listing.Item.Name, listing.Price.Amount, listing.Price.Currency, listing.Quantity, "listed");
                        outbox.Add(e.Seller, new ListingStatusReport { OfferId = e.ListingId!, Status = ListingStatusKind.Listed, At = now.AddTicks(1), ChannelOfferId = $"CAT-{offer}", ListingUrl = new Uri($"https://shop.example/offers/{offer}") });
                    }

                    break;
                case ListingEventKind.ListingDeleted:
                    catalogue.Upsert(seller, offer, null, null, null, null, "ended");
                    break;
                case ListingEventKind.StockChanged:
                    catalogue.Upsert(seller, offer, null, null, null, e.Quantity, catalogue.StatusOf(seller, offer) ?? "listed");
                    break;
                case ListingEventKind.PriceChanged:
                    catalogue.Upsert(seller, offer, null, e.Price?.Amount, e.Price?.Currency, null, catalogue.StatusOf(seller, offer) ?? "listed");
                    break;
            }

            return Task.CompletedTask;
        }
    }
}
