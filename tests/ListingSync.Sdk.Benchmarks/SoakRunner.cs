using System.Diagnostics;
using System.Globalization;
using ListingSync.Sdk.Channels.Managem;
using ListingSync.Sdk.Mapping;
using ListingSync.Sdk.Model;
using ListingSync.Sdk.Reconciliation;
using ListingSync.Sdk.Sqlite;
using ListingSync.Sdk.Testing.Managem;
using Microsoft.Extensions.DependencyInjection;

namespace ListingSync.Sdk.Benchmarks;

/// <summary>
/// The Chaos test group's scenarios at soak size (default 10,000 products): seeded faults, cancels at random points of
/// the API and import paths, two appliers at once, deletes during a scan, a bad draft among good ones. Each must end
/// with 0 duplicates, 0 missing and zero changes within three passes. Run:
/// <c>dotnet run -c Release --project tests/ListingSync.Sdk.Benchmarks -- --soak [--products 10000] [--seed 1]</c>.
/// </summary>
internal static class SoakRunner
{
    private static readonly SellerScope Seller = new("soak-seller");

    public static async Task<int> RunAsync(string[] args)
    {
        var products = Arg(args, "--products", 10_000);
        var seed = Arg(args, "--seed", 1);
        var directory = Directory.CreateTempSubdirectory("listingsync-soak-").FullName;
        var failures = 0;
        Console.WriteLine($"Soak: {products:N0} products per scenario, seed {seed}");
        var scenarios = new (string Name, ManagemEmulatorOptions Emulator, Func<Session, Task> Disturb)[]
        {
            ("faults (5% 503, 10% applied-then-500, 3% dropped, 429s)", new() { Seed = seed, ServerErrorRate = 0.05, AmbiguousWriteErrorRate = 0.1, DropConnectionRate = 0.03, RateLimitPerSecond = 2_000, RateLimitBurst = 50 }, s => s.ApplyOnce(new ReconcilerOptions())),
            ("cancels on the API path", new() { Seed = seed, AmbiguousWriteErrorRate = 0.02 }, s => s.CancelledRuns(new Random(seed), () => new ReconcilerOptions { CreateBatchSize = 400 })),
            ("cancels on the import path", new() { Seed = seed, ImportBatchSize = 500, ImportBatchDelay = TimeSpan.FromMilliseconds(50) }, s => s.CancelledRuns(new Random(seed), () => new ReconcilerOptions { ImportThreshold = 100, ImportPollInterval = TimeSpan.FromMilliseconds(50) })),
            ("two appliers at once", new() { Seed = seed, AmbiguousWriteErrorRate = 0.05 }, s => Task.WhenAll(s.ApplyOnce(new ReconcilerOptions { LeaseWait = TimeSpan.FromMinutes(10) }), s.ApplyOnce(new ReconcilerOptions { LeaseWait = TimeSpan.FromMinutes(10) }, separateStore: true))),
            ("deletes during a scan", new() { Seed = seed }, s => s.DeletesDuringScan()),
        };

        foreach (var (name, emulatorOptions, disturb) in scenarios)
        {
            emulatorOptions.GeneratedItems = products;
            var started = Stopwatch.GetTimestamp();
            await using var session = await Session.StartAsync(emulatorOptions, products, Path.Combine(directory, $"{failures}-{Guid.NewGuid():N}.db"));
            string outcome;
            try
            {
                await disturb(session);
                outcome = await session.ConvergeAsync();
            }
            catch (Exception ex)
            {
                outcome = "FAILED: " + ex.Message;
            }

            failures += outcome.StartsWith("FAILED", StringComparison.Ordinal) ? 1 : 0;
            Console.WriteLine($"  {name,-58} {Stopwatch.GetElapsedTime(started).TotalSeconds,7:F1} s  {outcome}");
        }

        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(directory, recursive: true);
        Console.WriteLine(failures == 0 ? "Soak passed." : $"Soak failed in {failures} scenario(s).");
        return failures == 0 ? 0 : 1;
    }

    internal static int Arg(string[] args, string name, int fallback)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
    }

    private sealed class Session : IAsyncDisposable
    {
        private readonly ManagemEmulator _emulator;
        private readonly ServiceProvider _provider;
        private readonly string _path;

        private Session(ManagemEmulator emulator, ServiceProvider provider, List<ListingDraft> inventory, string path)
        {
            _emulator = emulator;
            _provider = provider;
            Inventory = inventory;
            _path = path;
            Store = new SqliteMappingStore(path);
        }

        public List<ListingDraft> Inventory { get; }

        public IMappingStore Store { get; }

        private ManagemChannel Channel => _provider.GetRequiredService<ManagemChannel>();

        public static async Task<Session> StartAsync(ManagemEmulatorOptions options, int products, string path)
        {
            var emulator = await ManagemEmulator.StartAsync(options);
            emulator.AddSeller(Seller.SellerId, "soak-token");
            var services = new ServiceCollection();
            services.AddListingSync().AddManagem(o =>
            {
                o.BaseAddress = emulator.BaseAddress;
                o.Sellers[Seller.SellerId] = new Http.SellerCredentials { AccessToken = "soak-token" };
                o.RateLimit.Enabled = false;
                o.Resilience.BaseDelay = TimeSpan.FromMilliseconds(20);
                o.Resilience.MaxDelay = TimeSpan.FromMilliseconds(500);
            });
            var inventory = emulator.Catalogue.Items.Take(products).Select((item, i) => new ListingDraft
            {
                Reference = $"soak-{i:D6}", Item = ItemIdentity.FromUrn(item.Urn), Condition = ListingCondition.NearMint, Language = "English",
                Price = Money.Gbp(1.25m + (i % 9)), Quantity = 1 + (i % 3),
            }).ToList();
            inventory.Add(inventory[0] with { Reference = "soak-bad", Price = Money.Gbp(1e27m) }); // one bad draft among good ones
            return new Session(emulator, services.BuildServiceProvider(), inventory, path);
        }

        public async Task ApplyOnce(ReconcilerOptions options, bool separateStore = false)
        {
            var reconciler = new Reconciler(separateStore ? new SqliteMappingStore(_path) : Store);
            try
            {
                await reconciler.ApplyAsync(Channel, await reconciler.PlanAsync(Channel, Seller, Inventory.ToAsyncEnumerable(), options));
            }
            catch (ListingSyncException)
            {
                // reported, and repaired by the passes that follow
            }
        }

        public async Task CancelledRuns(Random random, Func<ReconcilerOptions> options)
        {
            for (var round = 0; round < 3; round++)
            {
                using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(random.Next(200, 3_000)));
                try
                {
                    var reconciler = new Reconciler(Store);
                    var opts = options();
                    await reconciler.ApplyAsync(Channel, await reconciler.PlanAsync(Channel, Seller, Inventory.ToAsyncEnumerable(), opts, cancel.Token), opts, cancellationToken: cancel.Token);
                }
                catch (OperationCanceledException)
                {
                }
                catch (ListingSyncException)
                {
                }
            }
        }

        public async Task DeletesDuringScan()
        {
            await ApplyOnce(new ReconcilerOptions());
            var listed = _emulator.Listings(Seller.SellerId);
            var plan = new Reconciler(Store).PlanAsync(Channel, Seller, Inventory.ToAsyncEnumerable());
            foreach (var gone in listed.Where((_, i) => i % 97 == 0).Take(60))
            {
                _emulator.SimulateSellerDelete(Seller.SellerId, gone.Id);
                await Task.Delay(5);
            }

            await new Reconciler(Store).ApplyAsync(Channel, await plan);
        }

        public async Task<string> ConvergeAsync()
        {
            var reconciler = new Reconciler(Store);
            var passes = 0;
            while (true)
            {
                var plan = await reconciler.PlanAsync(Channel, Seller, Inventory.ToAsyncEnumerable());
                if (!plan.HasChanges && plan.Count(PlanAction.FlagUncertain) == 0)
                {
                    break;
                }

                if (++passes > 3)
                {
                    return $"FAILED: no convergence after three passes ({plan.ToTable(0).Replace('\n', ' ')})";
                }

                await reconciler.ApplyAsync(Channel, plan);
            }

            var listings = _emulator.Listings(Seller.SellerId);
            var duplicates = listings.GroupBy(l => l.Reference).Count(g => g.Count() > 1);
            var missing = Inventory.Count(d => d.Reference != "soak-bad" && listings.All(l => l.Reference != d.Reference));
            return duplicates == 0 && missing == 0
                ? $"0 duplicates, 0 missing, converged after {passes} repair pass(es)"
                : $"FAILED: {duplicates} duplicates, {missing} missing";
        }

        public async ValueTask DisposeAsync()
        {
            await _provider.DisposeAsync();
            await _emulator.DisposeAsync();
        }
    }
}
