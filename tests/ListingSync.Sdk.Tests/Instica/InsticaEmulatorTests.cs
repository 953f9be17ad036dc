using ListingSync.Sdk.Channels;
using ListingSync.Sdk.Channels.Instica;
using ListingSync.Sdk.Http;
using ListingSync.Sdk.ImportJobs;
using ListingSync.Sdk.Mapping;
using ListingSync.Sdk.Model;
using ListingSync.Sdk.Reconciliation;
using ListingSync.Sdk.Testing;
using ListingSync.Sdk.Testing.Instica;
using Microsoft.Extensions.DependencyInjection;

namespace ListingSync.Sdk.Tests.Instica;

/// <summary>
/// Issue 16: Instica against its emulator over loopback: platforms and connections, list / delist and bulk, the
/// prerequisites, the channel contract, adoption, and the import lifecycle the way seed 004 advises.
/// </summary>
public sealed class InsticaEmulatorTests : IAsyncLifetime
{
    internal const string SellerId = "seller-1";
    internal static readonly SellerScope Seller = new(SellerId);
    private InsticaEmulator _emulator = null!;
    private ServiceProvider _services = null!;

    public async Task InitializeAsync()
    {
        _emulator = await InsticaEmulator.StartAsync();
        _emulator.AddSeller(SellerId, "tok-1", "key-1", "ebay", "discogs");
        _services = Build(_emulator);
    }

    public async Task DisposeAsync()
    {
        await _services.DisposeAsync();
        await _emulator.DisposeAsync();
    }

    internal static ServiceProvider Build(InsticaEmulator emulator, bool apiKey = false, Action<InsticaClientOptions>? configure = null)
    {
        var services = new ServiceCollection();
        services.AddListingSync()
            .AddInstica(o =>
            {
                o.BaseAddress = emulator.BaseAddress;
                o.Sellers[SellerId] = apiKey ? new SellerCredentials { ApiKey = "key-1" } : new SellerCredentials { AccessToken = "tok-1" };
                o.RateLimit.PermitsPerSecond = 1_000;
                o.RateLimit.Burst = 1_000;
                configure?.Invoke(o);
            })
            .AddInMemoryMappingStore();
        return services.BuildServiceProvider();
    }

    internal static ListingDraft Draft(int n, string? reference = null) => new()
    {
        Reference = reference ?? $"rec-{n}",
        Item = new ItemIdentity { Sku = $"LP-{n:D4}", Name = $"Record {n}" },
        Condition = new ListingCondition("VG+"),
        Language = "en",
        Titles = new Dictionary<string, string> { ["en"] = $"Record {n}" },
        Price = Money.Usd(20m + n),
        Quantity = 1,
    };

    private InsticaChannel Channel(string platform = "ebay") => _services.GetRequiredService<InsticaChannels>().For(platform);

    [Fact]
    public async Task Platforms_report_their_kind_and_the_sellers_connection_with_an_api_key_too()
    {
        await using var byKey = Build(_emulator, apiKey: true);

        var platforms = await byKey.GetRequiredService<InsticaClient>().GetPlatformStatusAsync(Seller);

        platforms.Count.ShouldBe(7);
        var ebay = platforms.Single(p => p.Platform.Slug == "ebay");
        (ebay.Kind, ebay.Connection, ebay.CanList, ebay.CanImport).ShouldBe((InsticaPlatformKind.OAuth, InsticaConnectionState.Connected, true, true));
        ebay.SellerAccountUid.ShouldNotBeNull();
        var etsy = platforms.Single(p => p.Platform.Slug == "etsy");
        (etsy.Connection, etsy.CanList).ShouldBe((InsticaConnectionState.NotConnected, false));
        etsy.Limitation!.ShouldContain("not connected");
        var redbubble = platforms.Single(p => p.Platform.Slug == "redbubble");
        (redbubble.Kind, redbubble.CanList, redbubble.CanImport).ShouldBe((InsticaPlatformKind.Extension, false, false));
        redbubble.Limitation!.ShouldContain("manual listing only");
    }

    [Fact]
    public async Task An_extension_platform_channel_rejects_every_draft_at_plan_time_and_sends_nothing()
    {
        var channel = Channel("society6");
        var before = _emulator.RequestCount;

        var results = await channel.CreateListingsAsync(Seller, [Draft(1), Draft(2)]);

        results.ShouldAllBe(r => r.Status == ListingWriteStatus.Rejected && r.Errors.Any(e => e.Rule == "api-listing"));
        _emulator.RequestCount.ShouldBe(before);
        channel.Capabilities.HasFlag(ChannelCapabilities.CreateListings).ShouldBeFalse();
        (await channel.CheckPrerequisitesAsync(Seller)).ShouldHaveSingleItem().Name.ShouldBe("api-listing");
    }

    [Fact]
    public async Task Bulk_list_and_delist_report_one_result_per_item_and_platform()
    {
        var a = _emulator.SeedItem(SellerId, "Abbey Road", "PCS-7088-001", 34.99m);
        var b = _emulator.SeedItem(SellerId, "Let It Be", "PCS-7096-001", 24.99m);
        var client = _services.GetRequiredService<InsticaClient>();

        var listed = await client.Inventory.BulkListAsync(Seller, [a, b, "inv_missing"], ["ebay", "discogs"]);

        listed.Count.ShouldBe(6);
        listed.Select(r => (r.Uid, r.Platform)).ShouldBe([(a, "ebay"), (a, "discogs"), (b, "ebay"), (b, "discogs"), ("inv_missing", "ebay"), ("inv_missing", "discogs")]);
        listed.Take(4).ShouldAllBe(r => r.IsSuccess && r.ListingId != null && r.ListingUrl != null);
        listed.Skip(4).ShouldAllBe(r => !r.IsSuccess && r.Error == "Inventory item not found.");
        _emulator.ListedCount(SellerId, "ebay").ShouldBe(2);
        _emulator.ListedCount(SellerId, "discogs").ShouldBe(2);

        var delisted = await client.Inventory.BulkDelistAsync(Seller, [a], ["ebay", "discogs"]);

        delisted.ShouldAllBe(r => r.IsSuccess);
        _emulator.ListedCount(SellerId, "ebay").ShouldBe(1);
        (await client.Inventory.GetAsync(Seller, a))!.ListingOn("ebay").ShouldBeNull("delisted; the inventory item stays");
        _emulator.BulkCalls.ShouldBe(2);
    }

    [Fact]
    public async Task A_missing_subscription_is_found_once_per_run_and_the_next_plan_says_so_instead_of_failing_item_by_item()
    {
        _emulator.SetSubscription(SellerId, false);
        var channel = Channel();
        var store = _services.GetRequiredService<IMappingStore>();
        var reconciler = new Reconciler(store);
        var drafts = Enumerable.Range(1, 30).Select(i => Draft(i)).ToList();

        var first = await reconciler.ApplyAsync(channel, await reconciler.PlanAsync(channel, Seller, drafts.ToAsyncEnumerable()));

        first.Results.Count.ShouldBe(30);
        first.Results.ShouldAllBe(r => r.Status == ListingWriteStatus.Failed && r.Exception is InsticaPrerequisiteException);
        ((InsticaPrerequisiteException)first.Results[0].Exception!).Prerequisite.ShouldBe(InsticaPrerequisite.Subscription);
        _emulator.BulkCalls.ShouldBe(1, "one listing call found the missing subscription; the other items were not sent");

        var second = await reconciler.PlanAsync(channel, Seller, drafts.ToAsyncEnumerable());
        second.MissingPrerequisites.ShouldHaveSingleItem().Name.ShouldBe("subscription");
        second.ToTable().ShouldContain("Blocked: subscription");
        var refused = await Should.ThrowAsync<ChannelPrerequisiteException>(() => reconciler.ApplyAsync(channel, second));
        refused.Message.ShouldContain("subscription");
        _emulator.BulkCalls.ShouldBe(1);

        // Fixed: forget the refusal and the next run lists everything, once.
        _emulator.SetSubscription(SellerId, true);
        channel.ForgetPrerequisites(Seller);
        var third = await reconciler.PlanAsync(channel, Seller, drafts.ToAsyncEnumerable());
        third.MissingPrerequisites.ShouldBeEmpty();
        (await reconciler.ApplyAsync(channel, third)).NotSucceeded.ShouldBe(0);
        _emulator.ListedCount(SellerId, "ebay").ShouldBe(30);
        _emulator.Items(SellerId).Count.ShouldBe(30, "the failed run's inventory items were found by SKU, not made again");
    }

    [Fact]
    public async Task A_missing_address_and_a_missing_connection_are_named()
    {
        var item = _emulator.SeedItem(SellerId, "Abbey Road", "PCS-7088-001", 34.99m);
        var client = _services.GetRequiredService<InsticaClient>();
        _emulator.SetPrimaryAddress(SellerId, false);

        (await Should.ThrowAsync<InsticaPrerequisiteException>(() => client.Inventory.ListAsync(Seller, item, "ebay", 30m))).Prerequisite.ShouldBe(InsticaPrerequisite.PrimaryAddress);

        _emulator.SetPrimaryAddress(SellerId, true);
        _emulator.Disconnect(SellerId, "ebay");
        (await Should.ThrowAsync<InsticaPrerequisiteException>(() => client.Inventory.ListAsync(Seller, item, "ebay", 30m))).Prerequisite.ShouldBe(InsticaPrerequisite.PlatformConnection);
        var plan = await new Reconciler(new InMemoryMappingStore()).PlanAsync(Channel(), Seller, new[] { Draft(1) }.ToAsyncEnumerable());
        plan.MissingPrerequisites.ShouldHaveSingleItem().Name.ShouldBe("platform-connection");
    }

    [Fact]
    public async Task An_item_already_in_inventory_is_listed_not_made_again_and_one_listed_before_is_adopted()
    {
        // In inventory, not on eBay: the create finds it by SKU and lists it.
        var inventoryOnly = _emulator.SeedItem(SellerId, "Record 1", "LP-0001", 21m);
        // Listed on eBay before the integration: adopted by SKU.
        var listedBefore = _emulator.SeedItem(SellerId, "Record 2", "LP-0002", 22m, "vg_plus", "ebay");
        var channel = Channel();
        var reconciler = new Reconciler(_services.GetRequiredService<IMappingStore>());
        var drafts = new[] { Draft(1), Draft(2), Draft(3) };

        var plan = await reconciler.PlanAsync(channel, Seller, drafts.ToAsyncEnumerable());
        plan.Count(PlanAction.Link).ShouldBe(1);
        plan.Count(PlanAction.Create).ShouldBe(2);
        var result = await reconciler.ApplyAsync(channel, plan);

        result.NotSucceeded.ShouldBe(0);
        _emulator.Items(SellerId).Count.ShouldBe(3, "one new inventory item (LP-0003); the other two existed");
        _emulator.ListedCount(SellerId, "ebay").ShouldBe(3);
        var store = _services.GetRequiredService<IMappingStore>();
        (await store.FindByReferenceAsync(new MappingScope("instica:ebay", Seller), "rec-1"))!.ListingId.ShouldBe(inventoryOnly);
        (await store.FindByReferenceAsync(new MappingScope("instica:ebay", Seller), "rec-2"))!.ListingId.ShouldBe(listedBefore);
        var again = await reconciler.PlanAsync(channel, Seller, drafts.ToAsyncEnumerable());
        again.HasChanges.ShouldBeFalse(again.ToTable() + string.Join("; ", again.Drift.Select(d => $"{d.Reference} {d.Fields}")));
    }

    [Fact]
    public async Task Batches_of_one_apply_scan_the_inventory_once_and_scan_again_when_someone_else_added_an_item()
    {
        var channel = Channel();
        int Scans() => (int)_emulator.RouteCounts.GetValueOrDefault("GET /api/v1/inventory/");

        // Batch 1 (20 SKUs, so a scan rather than searches): one scan, kept as an index.
        (await channel.CreateListingsAsync(Seller, [.. Enumerable.Range(1, 20).Select(n => Draft(n))])).ShouldAllBe(r => r.Status == ListingWriteStatus.Succeeded);
        var afterFirst = Scans();

        // Batch 2: the index and this channel's own 20 creates answer; one request checks the count, nothing else is read.
        (await channel.CreateListingsAsync(Seller, [.. Enumerable.Range(21, 20).Select(n => Draft(n))])).ShouldAllBe(r => r.Status == ListingWriteStatus.Succeeded);
        (Scans() - afterFirst).ShouldBe(1);

        // The seller adds an item by hand with a SKU of batch 3: the count moved, so batch 3 scans again and lists that
        // item instead of making a second one.
        var byHand = _emulator.SeedItem(SellerId, "Record 45", "LP-0045", 65m);
        var third = await channel.CreateListingsAsync(Seller, [.. Enumerable.Range(41, 20).Select(n => Draft(n))]);
        third.ShouldAllBe(r => r.Status == ListingWriteStatus.Succeeded);
        third.Single(r => r.Reference == "rec-45").ListingId.ShouldBe(byHand);
        _emulator.Items(SellerId).Count(i => i["manual_sku"]!.ToString() == "LP-0045").ShouldBe(1);
        _emulator.Items(SellerId).Count.ShouldBe(60);
        _emulator.ListedCount(SellerId, "ebay").ShouldBe(60);
    }

    [Fact]
    public void Platforms_are_registered_as_channels_the_host_resolves_like_any_other()
    {
        var services = new ServiceCollection();
        services.AddListingSync().AddInstica(o => o.BaseAddress = _emulator.BaseAddress).AddInsticaPlatforms("ebay", "Discogs", "ebay");
        using var provider = services.BuildServiceProvider();

        provider.GetServices<IListingChannel>().Select(c => c.Name).ShouldBe(["instica:ebay", "instica:discogs"]);
        provider.GetServices<IChannel>().Select(c => c.Name).ShouldBe(["instica:ebay", "instica:discogs"]);
        provider.GetRequiredKeyedService<InsticaChannel>("discogs").ShouldBeSameAs(provider.GetServices<IListingChannel>().Last());
    }

    [Fact]
    public async Task Updates_reprice_and_a_sale_delists_then_relists_and_removal_delists_keeping_the_item()
    {
        var channel = Channel();
        var reconciler = new Reconciler(_services.GetRequiredService<IMappingStore>());
        await reconciler.ApplyAsync(channel, await reconciler.PlanAsync(channel, Seller, new[] { Draft(1), Draft(2) }.ToAsyncEnumerable()));

        var changed = new[] { Draft(1) with { Price = Money.Usd(99.50m) }, Draft(2) with { Quantity = 0 } };
        var plan = await reconciler.PlanAsync(channel, Seller, changed.ToAsyncEnumerable());
        plan.Count(PlanAction.Update).ShouldBe(2);
        (await reconciler.ApplyAsync(channel, plan)).NotSucceeded.ShouldBe(0);

        var items = _emulator.Items(SellerId);
        items.Single(i => i["manual_sku"]!.ToString() == "LP-0001")["price_total_usd"]!.ToString().ShouldBe("99.50");
        _emulator.ListedCount(SellerId, "ebay").ShouldBe(1);
        (await reconciler.PlanAsync(channel, Seller, changed.ToAsyncEnumerable())).HasChanges.ShouldBeFalse();

        var back = await reconciler.PlanAsync(channel, Seller, new[] { changed[0], Draft(2) }.ToAsyncEnumerable());
        back.Count(PlanAction.Update).ShouldBe(1, back.ToTable());
        var backResult = await reconciler.ApplyAsync(channel, back);
        backResult.NotSucceeded.ShouldBe(0, string.Join("; ", backResult.Results.Select(r => $"{r.Status} {string.Join(",", r.Errors)} {r.Exception?.Message}")));
        _emulator.ListedCount(SellerId, "ebay").ShouldBe(2);

        var uid = items.Single(i => i["manual_sku"]!.ToString() == "LP-0002")["uid"]!.ToString();
        (await channel.RemoveListingAsync(Seller, uid)).IsSuccess.ShouldBeTrue();
        (await channel.RemoveListingAsync(Seller, uid)).IsSuccess.ShouldBeTrue();
        _emulator.ListedCount(SellerId, "ebay").ShouldBe(1);
        _emulator.Items(SellerId).Count.ShouldBe(2);
    }

    [Fact]
    public async Task Drafts_that_instica_would_refuse_are_rejected_at_plan_time_naming_field_and_rule()
    {
        var drafts = new[]
        {
            Draft(1) with { Item = new ItemIdentity { Name = "no sku" } },
            Draft(2) with { Price = Money.Eur(10m) },
            Draft(3) with { Quantity = 2 },
            Draft(4) with { Price = Money.Usd(10.001m) },
            Draft(5) with { Titles = new Dictionary<string, string> { ["de"] = "Platte" } },
        };

        var plan = await new Reconciler(new InMemoryMappingStore()).PlanAsync(Channel(), Seller, drafts.ToAsyncEnumerable());

        plan.Count(PlanAction.Reject).ShouldBe(5);
        var rules = plan.Steps.Where(s => s.Action == PlanAction.Reject).SelectMany(s => s.Errors).Select(e => $"{e.Field}:{e.Rule}").ToList();
        rules.ShouldBe(["item:identity-required", "price.currency:currency", "quantity:range", "price:precision", "titles:language"], ignoreOrder: true);
    }

    public static TheoryData<string> Cases => new(ListingChannelContract.CaseNames);

    [Theory, MemberData(nameof(Cases))]
    public Task Instica_meets_the_channel_contract(string name) => ListingChannelContract.RunAsync(name, async () =>
    {
        var emulator = await InsticaEmulator.StartAsync();
        emulator.AddSeller(SellerId, "tok-1", null, "ebay");
        var services = Build(emulator);
        return new ListingChannelContractSubject
        {
            Channel = services.GetRequiredService<InsticaChannels>().For("ebay"),
            Seller = Seller,
            Draft = n => Draft(n, $"contract-{n}"),
            CountListings = () => Task.FromResult(emulator.Items(SellerId).Count),
            SeedWithoutReference = draft =>
            {
                emulator.SeedItem(SellerId, draft.Titles.Values.First(), draft.Item.Sku, draft.Price.Amount, "vg_plus", "ebay");
                return Task.CompletedTask;
            },
            LoseNextCreateAnswer = () => emulator.LoseNextWriteAnswers(1),
            Owner = new Owner(services, emulator),
        };
    });

    [Fact]
    public async Task The_whole_import_lifecycle_sample_first_then_the_rest_with_conflicts_and_retries()
    {
        // Discogs holds 30 listings: two fail once (a retry imports them), two carry a SKU an inventory item already has.
        _emulator.SeedItem(SellerId, "Abbey Road (shop copy)", "DG-0003", 30m);
        _emulator.SeedItem(SellerId, "Revolver (shop copy)", "DG-0007", 30m);
        _emulator.SeedExternal(SellerId, "discogs", Enumerable.Range(0, 30).Select(i => new InsticaExternalListing
        {
            ListingId = $"{900_000 + i}",
            Sku = $"DG-{i:D4}",
            Title = $"Discogs record {i}",
            Price = 10m + i,
            Condition = i % 2 == 0 ? "vg_plus" : "nm",
            FailTimes = i is 12 or 20 ? 1 : 0,
        }));
        var client = _services.GetRequiredService<InsticaClient>();
        var store = _services.GetRequiredService<IMappingStore>();
        var workflow = new InsticaImportWorkflow(client, store, new InsticaImportOptions { SampleSize = 5, PollInterval = TimeSpan.FromMilliseconds(20), MaxPollInterval = TimeSpan.FromMilliseconds(200) });
        var progress = new List<ImportJobProgress>();

        // Extension platforms and unconnected ones are refused up front.
        (await Should.ThrowAsync<InsticaPrerequisiteException>(() => workflow.ImportSampleAsync(Seller, "redbubble"))).Prerequisite.ShouldBe(InsticaPrerequisite.ApiListing);
        (await Should.ThrowAsync<InsticaPrerequisiteException>(() => workflow.ImportSampleAsync(Seller, "etsy"))).Prerequisite.ShouldBe(InsticaPrerequisite.PlatformConnection);

        var sample = await workflow.ImportSampleAsync(Seller, "discogs", new Progress<ImportJobProgress>(progress.Add));

        sample.Job.State.ShouldBe(ImportJobState.Paused, "processed up to the sample's limit; waiting for the next start");
        sample.Job.Total.ShouldBe(30);
        sample.Imported.Count.ShouldBe(4, sample.ToTable());
        sample.Conflicts.ShouldHaveSingleItem().ConflictType.ShouldBe("duplicate_sku");
        sample.Conflicts[0].ConflictDetails!.ShouldContain("SKU matches existing item inv_");
        sample.LooksRight.ShouldBeTrue(sample.ToTable());
        var first = sample.Imported[0];
        first.ExternalUrl.ShouldStartWith("https://discogs.com/itm/");
        first.Draft.Reference.ShouldBe(first.Item.ManualSku);
        first.Draft.Price.Currency.ShouldBe("USD");
        first.Draft.Quantity.ShouldBe(1);
        sample.ToTable().ShouldContain("conflict");
        await workflow.AdoptAsync(sample.Imported);

        var rest = await workflow.ImportRestAsync(Seller, sample);

        rest.Job.State.ShouldBe(ImportJobState.Completed);
        rest.Imported.Count.ShouldBe(22, rest.ToTable()); // 25 after the sample − 1 conflict (DG-0007) − 2 failing once
        rest.Conflicts.Count.ShouldBe(2);
        rest.Failed.Count.ShouldBe(2);
        rest.Failed.ShouldAllBe(f => f.ErrorCode == "missing_images");

        // The host resolves one conflict by linking it to its existing item, skips the other, retries the failures.
        var runner = new ImportJobRunner(_services.GetRequiredService<InsticaImportChannel>());
        var linked = await runner.ResolveConflictAsync(Seller, rest.Job.Id, rest.Conflicts[0].Id!, "link");
        linked.Conflicted.ShouldBe(1);
        (await runner.SkipAllConflictsAsync(Seller, rest.Job.Id)).Conflicted.ShouldBe(0);
        var retried = await runner.RetryFailedAsync(Seller, rest.Job.Id);
        (retried.Failed, retried.Skipped, retried.Succeeded).ShouldBe((0L, 1L, 29L));

        await workflow.AdoptAsync(rest.Imported);
        var last = await workflow.RefreshAsync(Seller, rest);
        last.Imported.Count.ShouldBe(3, "the linked item and the two retried ones");
        await workflow.AdoptAsync(last.Imported);

        // 30 external listings, 2 shop items: 28 new items + 2 existing (one now linked to Discogs); nothing twice.
        _emulator.Items(SellerId).Count.ShouldBe(30);
        _emulator.ListedCount(SellerId, "discogs").ShouldBe(29);
        progress.ShouldNotBeEmpty();
        progress.Last().Percent.ShouldBeGreaterThan(0);

        // From now on the host is the source of truth: a plan from the adopted drafts changes nothing.
        var channel = Channel("discogs");
        var drafts = sample.Imported.Concat(rest.Imported).Concat(last.Imported).Select(i => i.Draft).ToList();
        var plan = await new Reconciler(store).PlanAsync(channel, Seller, drafts.ToAsyncEnumerable());
        plan.Count(PlanAction.Create).ShouldBe(0);
        plan.Count(PlanAction.Update).ShouldBe(0, plan.ToTable());
    }

    [Fact]
    public async Task Import_jobs_are_listed_newest_first_and_the_runner_backs_off_while_nothing_changes()
    {
        _emulator.SeedExternal(SellerId, "ebay", [new InsticaExternalListing { ListingId = "1", Sku = "E-1", Title = "One", Price = 5m }]);
        var client = _services.GetRequiredService<InsticaClient>();
        var first = await client.ImportJobs.QuickImportAsync(Seller, "ebay");
        var second = await client.ImportJobs.QuickImportAsync(Seller, "ebay");

        var jobs = await _services.GetRequiredService<InsticaImportChannel>().ListImportsAsync(Seller);

        jobs.Select(j => j.Id).ShouldBe([second.Id!, first.Id!]);
        jobs.ShouldAllBe(j => j.State == ImportJobState.Pending);

        var channel = new CountingImports(_services.GetRequiredService<InsticaImportChannel>());
        var runner = new ImportJobRunner(channel, TimeSpan.FromMilliseconds(10)) { MaxPollInterval = TimeSpan.FromMilliseconds(80) };
        using var stop = new CancellationTokenSource(TimeSpan.FromMilliseconds(700));
        await Should.ThrowAsync<OperationCanceledException>(() => runner.WaitAsync(Seller, first.Id!, null, stop.Token));

        // A fixed 10 ms poll would read ~70 times in 700 ms; backing off to 80 ms reads far fewer.
        channel.Reads.ShouldBeLessThan(20);
        channel.Reads.ShouldBeGreaterThan(3);
    }

    private sealed class CountingImports(InsticaImportChannel inner) : IImportJobChannel
    {
        public int Reads;

        public Task<ImportJobStatus> StartImportAsync(SellerScope seller, Stream content, string fileName, CancellationToken cancellationToken = default) => inner.StartImportAsync(seller, content, fileName, cancellationToken);

        public Task<ImportJobStatus> GetImportAsync(SellerScope seller, string jobId, CancellationToken cancellationToken = default)
        {
            Interlocked.Increment(ref Reads);
            return inner.GetImportAsync(seller, jobId, cancellationToken);
        }

        public Task<IReadOnlyList<ImportJobIssue>> GetImportIssuesAsync(SellerScope seller, string jobId, CancellationToken cancellationToken = default) => inner.GetImportIssuesAsync(seller, jobId, cancellationToken);
    }

    private sealed class Owner(ServiceProvider services, InsticaEmulator emulator) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await services.DisposeAsync();
            await emulator.DisposeAsync();
        }
    }
}
