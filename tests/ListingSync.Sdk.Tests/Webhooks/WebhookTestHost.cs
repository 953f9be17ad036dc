using System.Net;
using ListingSync.Sdk.DependencyInjection;
using ListingSync.Sdk.Mapping;
using ListingSync.Sdk.Model;
using ListingSync.Sdk.Testing.Managem;
using ListingSync.Sdk.Webhooks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ListingSync.Sdk.Tests.Webhooks;

/// <summary>
/// A real ASP.NET Core host on loopback Kestrel wired as a user wires theirs: AddListingSync().AddManagem(...)
/// .AddWebhooks(...), MapListingSyncWebhooks("/webhooks/managem/{seller}"), the hosted worker draining the inbox.
/// Optionally talks to a <see cref="ManagemEmulator"/>.
/// </summary>
internal sealed class WebhookTestHost : IAsyncDisposable
{
    public const string SellerId = "seller-1";
    public const string Token = "token-1";

    private readonly WebApplication _app;

    private WebhookTestHost(WebApplication app, ManagemEmulator? emulator)
    {
        _app = app;
        Emulator = emulator;
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        BaseAddress = new Uri(address.TrimEnd('/') + "/");
        Http = new HttpClient { BaseAddress = BaseAddress };
    }

    public static SellerScope Seller => new(SellerId);

    public ManagemEmulator? Emulator { get; }

    public Uri BaseAddress { get; }

    public Uri Endpoint => new(BaseAddress, $"webhooks/managem/{SellerId}");

    public HttpClient Http { get; }

    public IServiceProvider Services => _app.Services;

    public IEventInbox Inbox => Services.GetRequiredService<IEventInbox>();

    public IMappingStore Store => Services.GetRequiredService<IMappingStore>();

    public WebhookSecretStore Secrets => Services.GetRequiredService<WebhookSecretStore>();

    public static async Task<WebhookTestHost> StartAsync(
        Action<WebhookOptions>? webhooks = null,
        Action<ListingSyncBuilder>? sync = null,
        ManagemEmulatorOptions? emulatorOptions = null,
        bool withEmulator = true,
        TimeProvider? time = null,
        string? sqlitePath = null)
    {
        ManagemEmulator? emulator = null;
        if (withEmulator)
        {
            emulator = await ManagemEmulator.StartAsync(emulatorOptions);
            emulator.AddSeller(SellerId, Token);
        }

        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        builder.Logging.ClearProviders();
        if (time is not null)
        {
            builder.Services.AddSingleton(time);
        }

        var listingSync = builder.Services.AddListingSync();
        listingSync.AddManagem(o =>
        {
            o.BaseAddress = emulator?.BaseAddress ?? new Uri("http://127.0.0.1:9/");
            o.Sellers[SellerId] = new Http.SellerCredentials { AccessToken = Token };
            o.RateLimit.Enabled = false;
            o.Resilience.BaseDelay = TimeSpan.FromMilliseconds(20);
            o.Resilience.MaxDelay = TimeSpan.FromMilliseconds(200);
        });
        if (sqlitePath is not null)
        {
            listingSync.AddSqliteMappingStore(sqlitePath).AddSqliteEventInbox();
        }

        listingSync.AddInMemoryMappingStore();
        listingSync.AddWebhooks(o =>
        {
            o.Inbox.RetryDelay = TimeSpan.FromMilliseconds(20);
            webhooks?.Invoke(o);
        });
        sync?.Invoke(listingSync);

        var app = builder.Build();
        app.MapListingSyncWebhooks("/webhooks/managem/{seller}");
        await app.StartAsync();
        return new WebhookTestHost(app, emulator);
    }

    /// <summary>Waits until the inbox has nothing pending.</summary>
    public async Task WaitForInboxAsync(TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(15));
        while (Inbox.Pending > 0)
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"{Inbox.Pending} events still pending in the inbox.");
            }

            await Task.Delay(10);
        }
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
        if (Emulator is not null)
        {
            await Emulator.DisposeAsync();
        }
    }
}
