using ListingSync.Sdk.DependencyInjection;
using ListingSync.Sdk.Testing.Jtl;
using Microsoft.Extensions.DependencyInjection;

namespace ListingSync.Sdk.Tests.Jtl;

/// <summary>
/// A JTL channel host against the emulator, the way a host wires it: <c>AddJtl</c>, a SQLite mapping store and durable
/// inbox in a folder of the test's own, event processing. Each test builds its host with <see cref="Build"/>.
/// </summary>
public abstract class JtlHostTests : IAsyncLifetime, IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), $"jtl-host-{Guid.NewGuid():N}");

    protected JtlChannelEmulator Emulator { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_directory);
        Emulator = await JtlChannelEmulator.StartAsync();
    }

    public async Task DisposeAsync() => await Emulator.DisposeAsync();

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
        GC.SuppressFinalize(this);
    }

    /// <summary>The host; <paramref name="more"/> adds handlers and services. Two builds share the store: a restart.</summary>
    protected ServiceProvider Build(Action<ListingSyncBuilder>? more = null)
    {
        var services = new ServiceCollection();
        var builder = services.AddListingSync()
            .AddJtl(o =>
            {
                o.BaseAddress = Emulator.BaseAddress;
                o.RefreshToken = Emulator.Options.RefreshToken;
            })
            .AddSqliteMappingStore(Path.Combine(_directory, "channel.db"))
            .AddSqliteEventInbox()
            .AddEventProcessing();
        more?.Invoke(builder);
        return services.BuildServiceProvider();
    }
}
