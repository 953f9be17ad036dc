using ListingSync.Sdk.Mapping;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

using ListingSync.Sdk.DependencyInjection;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers a mapping store kept in memory.</summary>
public static class MappingStoreListingSyncBuilderExtensions
{
    /// <summary>
    /// Registers an <see cref="InMemoryMappingStore"/> as the <see cref="IMappingStore"/> (tests and short-lived tools;
    /// everything is lost when the process ends). A store registered earlier wins.
    /// </summary>
    public static ListingSyncBuilder AddInMemoryMappingStore(this ListingSyncBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.TryAddSingleton<IMappingStore, InMemoryMappingStore>();
        return builder;
    }
}
