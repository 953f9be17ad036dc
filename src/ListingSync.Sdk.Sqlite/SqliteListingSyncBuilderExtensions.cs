using ListingSync.Sdk.Mapping;
using ListingSync.Sdk.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace ListingSync.Sdk.DependencyInjection;

/// <summary>Registers the SQLite mapping store.</summary>
public static class SqliteListingSyncBuilderExtensions
{
    /// <summary>Uses a <see cref="SqliteMappingStore"/> in the file at <paramref name="path"/> as the <see cref="IMappingStore"/>.</summary>
    public static ListingSyncBuilder AddSqliteMappingStore(this ListingSyncBuilder builder, string path)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        builder.Services.TryAddSingleton<IMappingStore>(_ => new SqliteMappingStore(path));
        return builder;
    }
}
