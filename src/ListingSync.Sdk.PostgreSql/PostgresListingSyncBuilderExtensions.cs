using ListingSync.Sdk.DependencyInjection;
using ListingSync.Sdk.Mapping;
using ListingSync.Sdk.PostgreSql;
using ListingSync.Sdk.Webhooks;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the PostgreSQL mapping store and event inbox.</summary>
public static class PostgresListingSyncBuilderExtensions
{
    /// <summary>The configuration section the options are read from when bound, and named in errors otherwise.</summary>
    public const string DefaultSection = "ListingSync:PostgreSql";

    /// <summary>Uses a <see cref="PostgresMappingStore"/> on <paramref name="connectionString"/> (schema <c>listingsync</c>) as the <see cref="IMappingStore"/>.</summary>
    public static ListingSyncBuilder AddPostgresMappingStore(this ListingSyncBuilder builder, string connectionString) =>
        builder.AddPostgresMappingStore(o => o.ConnectionString = connectionString);

    /// <summary>Uses a <see cref="PostgresMappingStore"/> configured by <paramref name="configure"/>; the options are validated when the host starts.</summary>
    public static ListingSyncBuilder AddPostgresMappingStore(this ListingSyncBuilder builder, Action<PostgresStoreOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        return Add(builder, configure, null);
    }

    /// <summary>Uses a <see cref="PostgresMappingStore"/> bound to <paramref name="section"/> (e.g. <c>ListingSync:PostgreSql</c>); validated when the host starts, errors naming the full key.</summary>
    public static ListingSyncBuilder AddPostgresMappingStore(this ListingSyncBuilder builder, IConfiguration section)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(section);
        return Add(builder, o => section.Bind(o), section);
    }

    /// <summary>
    /// Uses a <see cref="PostgresEventInbox"/> in the store's database as the <see cref="IEventInbox"/> (replacing the
    /// in-memory one): several workers take from it at once, each event handled by one of them at a time. Call after
    /// <c>AddPostgresMappingStore</c>.
    /// </summary>
    public static ListingSyncBuilder AddPostgresEventInbox(this ListingSyncBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.RemoveAll<IEventInbox>();
        builder.Services.AddSingleton<IEventInbox>(sp => new PostgresEventInbox(
            sp.GetRequiredService<IMappingStore>() as PostgresMappingStore
                ?? throw new InvalidOperationException("AddPostgresEventInbox needs the PostgresMappingStore as IMappingStore: call AddPostgresMappingStore(...) first."),
            sp.GetService<IOptions<WebhookOptions>>()?.Value.Inbox));
        return builder;
    }

    private static ListingSyncBuilder Add(ListingSyncBuilder builder, Action<PostgresStoreOptions> configure, IConfiguration? section)
    {
        ChannelRegistration.AddOptions<PostgresStoreOptions, PostgresStoreOptionsValidator>(builder.Services, configure, section, DefaultSection);
        builder.Services.TryAddSingleton<IMappingStore>(sp => new PostgresMappingStore(sp.GetRequiredService<IOptions<PostgresStoreOptions>>().Value));
        return builder;
    }
}

/// <summary>Checks <see cref="PostgresStoreOptions"/> at start-up; each message names the full key.</summary>
internal sealed class PostgresStoreOptionsValidator(ChannelOptionsSection<PostgresStoreOptions> section) : IValidateOptions<PostgresStoreOptions>
{
    public ValidateOptionsResult Validate(string? name, PostgresStoreOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = PostgresStoreOptions.Validate(options, section.Path);
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
