using Microsoft.Extensions.DependencyInjection;

namespace ListingSync.Sdk.DependencyInjection;

/// <summary>Returned by <c>AddListingSync()</c>; channels and stores chain on it.</summary>
public sealed class ListingSyncBuilder
{
    internal ListingSyncBuilder(IServiceCollection services) => Services = services;

    /// <summary>The service collection, for extension methods of other ListingSync packages.</summary>
    public IServiceCollection Services { get; }
}
