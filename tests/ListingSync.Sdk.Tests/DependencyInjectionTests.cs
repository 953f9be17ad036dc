using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using ListingSync.Sdk.Channels;
using ListingSync.Sdk.Channels.Managem;
using ListingSync.Sdk.DependencyInjection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ListingSync.Sdk.Tests;

public class DependencyInjectionTests
{
    [Fact]
    public void AddManagem_registers_the_client_the_channel_and_the_resolver()
    {
        var services = new ServiceCollection();
        services.AddListingSync().AddManagem(o => o.AccessToken = "t");
        using var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true });

        provider.GetRequiredService<ManagemClient>().ShouldNotBeNull();
        provider.GetRequiredService<ManagemIdentityResolver>().ShouldNotBeNull();
        provider.GetServices<IListingChannel>().ShouldHaveSingleItem().Name.ShouldBe("managem");
    }

    [Fact]
    public void One_registration_each_wires_webhooks_imports_and_jtl_with_a_sqlite_store_and_durable_inbox()
    {
        var path = Path.Combine(Path.GetTempPath(), $"di-{Guid.NewGuid():N}.db");
        var services = new ServiceCollection();
        services.AddListingSync()
            .AddManagem(o => o.AccessToken = "t")
            .AddJtl(o => o.RefreshToken = "r")
            .AddWebhooks() // the event processing the JTL poller needs, and webhook reception for Managem
            .AddSqliteMappingStore(path)
            .AddSqliteEventInbox();
        using var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });

        provider.GetRequiredService<ManagemImportJobs>().Builder.Options.Currency.ShouldBe("GBP");
        provider.GetRequiredService<Channels.Jtl.JtlEventPoller>().ShouldNotBeNull();
        provider.GetRequiredService<Channels.Jtl.JtlChannel>().ShouldNotBeNull();
        provider.GetRequiredService<ListingSync.Sdk.Webhooks.IEventInbox>().ShouldBeOfType<Sqlite.SqliteEventInbox>();
        provider.GetRequiredService<ListingSync.Sdk.Webhooks.WebhookReceiver>().ShouldNotBeNull();
    }

    [Fact]
    public void Options_bind_from_a_configuration_section()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ListingSync:Managem:BaseAddress"] = "http://127.0.0.1:5055/",
            ["ListingSync:Managem:AccessToken"] = "cfg-token",
            ["ListingSync:Managem:Sellers:shop-2:ApiKey"] = "pat-2",
            ["ListingSync:Managem:RateLimit:PermitsPerSecond"] = "25",
            ["ListingSync:Managem:Resilience:MaxRetryAttempts"] = "2",
        }).Build();
        var services = new ServiceCollection();
        services.AddListingSync().AddManagem(configuration.GetSection(ManagemClientOptions.DefaultSection));
        using var provider = services.BuildServiceProvider();

        var options = provider.GetRequiredService<IOptionsMonitor<ManagemClientOptions>>().CurrentValue;

        options.BaseAddress.ShouldBe(new Uri("http://127.0.0.1:5055/"));
        options.AccessToken.ShouldBe("cfg-token");
        options.Sellers["shop-2"].ApiKey.ShouldBe("pat-2");
        options.RateLimit.PermitsPerSecond.ShouldBe(25);
        options.Resilience.MaxRetryAttempts.ShouldBe(2);
    }

    [Fact]
    public void Bad_options_fail_with_messages_that_name_the_key_and_a_good_value()
    {
        var services = new ServiceCollection();
        services.AddListingSync().AddManagem(o =>
        {
            o.BulkBatchSize = 500;
            o.Currency = "pounds";
            o.RateLimit.PermitsPerSecond = 0;
            o.Sellers["shop-9"] = new Http.SellerCredentials();
        });
        using var provider = services.BuildServiceProvider();

        var error = Should.Throw<OptionsValidationException>(() => provider.GetRequiredService<IOptionsMonitor<ManagemClientOptions>>().CurrentValue);

        error.Failures.ShouldContain("ListingSync:Managem:BulkBatchSize must be between 1 and 200 (was 500).");
        error.Failures.ShouldContain(f => f.StartsWith("ListingSync:Managem:Currency must be an ISO 4217 code", StringComparison.Ordinal));
        error.Failures.ShouldContain(f => f.StartsWith("ListingSync:Managem:RateLimit needs PermitsPerSecond > 0", StringComparison.Ordinal));
        error.Failures.ShouldContain("ListingSync:Managem:Sellers:shop-9 needs an AccessToken or an ApiKey.");
    }

    [Fact]
    public void The_http_client_builder_is_exposed_for_the_hosts_own_handlers()
    {
        var services = new ServiceCollection();
        IHttpClientBuilder? exposed = null;
        services.AddListingSync().AddManagem(o => o.AccessToken = "t", http => exposed = http);

        exposed.ShouldNotBeNull().Name.ShouldBe("managem");
    }

    [Fact]
    public async Task Errors_at_start_up_name_the_section_the_host_bound_for_every_channel()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Shop:Marketplaces:Managem:BaseAddress"] = "not a url",
            ["Shop:Marketplaces:Managem:AccessToken"] = "t",
            ["Shop:Marketplaces:Jtl:EventLimit"] = "5000",
        }).Build();
        var services = new ServiceCollection();
        services.AddListingSync()
            .AddManagem(configuration.GetSection("Shop:Marketplaces:Managem"))
            .AddJtl(configuration.GetSection("Shop:Marketplaces:Jtl"))
            .AddEventProcessing()
            .AddInMemoryMappingStore();
        await using var provider = services.BuildServiceProvider();

        // What a generic host does on start: ValidateOnStart runs every validator before anything is called.
        var startup = provider.GetRequiredService<IStartupValidator>();
        var error = Should.Throw<AggregateException>(startup.Validate).InnerExceptions.OfType<OptionsValidationException>().SelectMany(e => e.Failures).ToList();

        error.ShouldContain(f => f.StartsWith("Shop:Marketplaces:Managem:BaseAddress must be an absolute http(s) URL", StringComparison.Ordinal));
        error.ShouldContain(f => f.StartsWith("Shop:Marketplaces:Jtl:RefreshToken is required", StringComparison.Ordinal));
        error.ShouldContain("Shop:Marketplaces:Jtl:EventLimit must be between 1 and 100, JTL's most events per pull (was 5000).");
    }

    [Fact]
    public void The_jtl_poller_without_event_processing_fails_naming_the_registration_to_add()
    {
        var services = new ServiceCollection();
        services.AddListingSync().AddJtl(o => o.RefreshToken = "r").AddInMemoryMappingStore();
        using var provider = services.BuildServiceProvider();

        var error = Should.Throw<InvalidOperationException>(() => provider.GetRequiredService<Channels.Jtl.JtlEventPoller>());

        error.Message.ShouldContain("AddEventProcessing()");
        provider.GetServices<Microsoft.Extensions.Hosting.IHostedService>().ShouldBeEmpty(); // AddJtl registers no worker of its own accord
    }

    [Fact]
    public async Task Webhooks_without_a_mapping_store_fail_at_start_up_naming_the_store_registrations()
    {
        var builder = Microsoft.AspNetCore.Builder.WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Services.AddListingSync().AddManagemWebhookParser().AddWebhooks();
        await using var app = builder.Build();

        // The host resolves its hosted services first: the event worker's missing store is the error, with the fix.
        var error = await Should.ThrowAsync<InvalidOperationException>(() => app.StartAsync());

        error.Message.ShouldContain(".AddSqliteMappingStore(path)");
        error.Message.ShouldContain(".AddInMemoryMappingStore()");
    }

    [Fact]
    public async Task Mapping_the_webhook_endpoint_without_AddWebhooks_fails_when_mapping_naming_it()
    {
        var builder = Microsoft.AspNetCore.Builder.WebApplication.CreateSlimBuilder();
        builder.Services.AddListingSync().AddInMemoryMappingStore();
        await using var app = builder.Build();

        var error = Should.Throw<InvalidOperationException>(() => app.MapListingSyncWebhooks("/webhooks/managem"));

        error.Message.ShouldContain(".AddWebhooks()");
    }

    [Fact]
    public void The_webhook_registrar_without_AddWebhooks_fails_naming_it()
    {
        var services = new ServiceCollection();
        services.AddListingSync().AddManagem(o => o.AccessToken = "t");
        using var provider = services.BuildServiceProvider();

        var error = Should.Throw<InvalidOperationException>(() => provider.GetRequiredService<ManagemWebhookRegistrar>());

        error.Message.ShouldContain(".AddWebhooks()");
    }
}
