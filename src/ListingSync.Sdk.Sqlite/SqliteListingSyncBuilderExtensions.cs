using ListingSync.Sdk.Mapping;
using ListingSync.Sdk.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

using ListingSync.Sdk.DependencyInjection;

namespace Microsoft.Extensions.DependencyInjection;

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

    /// <summary>
    /// Uses a durable <see cref="SqliteEventInbox"/> in the mapping store's file as the <see cref="ListingSync.Sdk.Webhooks.IEventInbox"/>
    /// (replacing the in-memory one): accepted events survive restarts. Call after <see cref="AddSqliteMappingStore"/>.
    /// </summary>
    public static ListingSyncBuilder AddSqliteEventInbox(this ListingSyncBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.RemoveAll<ListingSync.Sdk.Webhooks.IEventInbox>();
        builder.Services.AddSingleton<ListingSync.Sdk.Webhooks.IEventInbox>(sp => new SqliteEventInbox(
            sp.GetRequiredService<IMappingStore>() as SqliteMappingStore
                ?? throw new InvalidOperationException("AddSqliteEventInbox needs the SqliteMappingStore as IMappingStore: call AddSqliteMappingStore(path) first."),
            sp.GetService<TimeProvider>(),
            sp.GetService<Microsoft.Extensions.Options.IOptions<ListingSync.Sdk.Webhooks.WebhookOptions>>()?.Value.Inbox));
        return builder;
    }
}
