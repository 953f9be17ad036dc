using ListingSync.Sdk.Channels.Managem;
using ListingSync.Sdk.DependencyInjection;
using ListingSync.Sdk.Testing.Managem;
using Microsoft.Extensions.DependencyInjection;

namespace ListingSync.Sdk.Tests.Emulator;

/// <summary>An emulator plus an SDK client wired to it over real loopback HTTP, the way a host wires production.</summary>
internal sealed class EmulatorSession : IAsyncDisposable
{
    public const string SellerId = "seller-1";
    public const string Token = "token-1";

    private readonly ServiceProvider _provider;

    private EmulatorSession(ManagemEmulator emulator, ServiceProvider provider)
    {
        Emulator = emulator;
        _provider = provider;
    }

    public ManagemEmulator Emulator { get; }

    public ManagemClient Client => _provider.GetRequiredService<ManagemClient>();

    public ManagemChannel Channel => _provider.GetRequiredService<ManagemChannel>();

    public static async Task<EmulatorSession> StartAsync(ManagemEmulatorOptions? options = null, Action<ManagemClientOptions>? configure = null)
    {
        var emulator = await ManagemEmulator.StartAsync(options);
        emulator.AddSeller(SellerId, Token);
        var services = new ServiceCollection();
        services.AddListingSync().AddManagem(o =>
        {
            o.BaseAddress = emulator.BaseAddress;
            o.Sellers[SellerId] = new Http.SellerCredentials { AccessToken = Token };
            o.RateLimit.Enabled = false;
            o.Resilience.BaseDelay = TimeSpan.FromMilliseconds(20);
            o.Resilience.MaxDelay = TimeSpan.FromMilliseconds(200);
            configure?.Invoke(o);
        });
        return new EmulatorSession(emulator, services.BuildServiceProvider());
    }

    public async ValueTask DisposeAsync()
    {
        await _provider.DisposeAsync();
        await Emulator.DisposeAsync();
    }
}
