using ListingSync.Sdk.DependencyInjection;
using ListingSync.Sdk.Resilience;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers ListingSync.</summary>
public static class ListingSyncServiceCollectionExtensions
{
    /// <summary>
    /// Registers the SDK's shared services (a <see cref="TimeProvider"/>, the per-seller rate limiters) and returns a
    /// builder to add channels on, e.g. <c>services.AddListingSync().AddManagem(o => o.AccessToken = token)</c>.
    /// Safe to call more than once.
    /// </summary>
    public static ListingSyncBuilder AddListingSync(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(sp => new RateLimiterRegistry(sp.GetRequiredService<TimeProvider>()));
        return new ListingSyncBuilder(services);
    }
}
