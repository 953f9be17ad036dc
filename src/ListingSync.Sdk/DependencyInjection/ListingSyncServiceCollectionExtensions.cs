using ListingSync.Sdk.DependencyInjection;
using ListingSync.Sdk.Mapping;
using ListingSync.Sdk.Reconciliation;
using ListingSync.Sdk.Resilience;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers ListingSync.</summary>
public static class ListingSyncServiceCollectionExtensions
{
    /// <summary>
    /// Registers the SDK's shared services (a <see cref="TimeProvider"/>, the per-seller rate limiters, the
    /// <see cref="Reconciler"/> over the registered <see cref="IMappingStore"/>) and returns a builder to add channels
    /// and a store on, e.g. <c>services.AddListingSync().AddManagem(o => o.AccessToken = token).AddSqliteMappingStore("sync.db")</c>.
    /// Safe to call more than once.
    /// </summary>
    public static ListingSyncBuilder AddListingSync(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(sp => new RateLimiterRegistry(sp.GetRequiredService<TimeProvider>()));
        services.TryAddTransient(sp => new Reconciler(sp.GetRequiredService<IMappingStore>(), sp.GetRequiredService<TimeProvider>()));
        return new ListingSyncBuilder(services);
    }
}
