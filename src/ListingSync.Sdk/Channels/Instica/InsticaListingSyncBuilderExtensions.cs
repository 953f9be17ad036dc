using ListingSync.Sdk.Channels.Instica;
using ListingSync.Sdk.DependencyInjection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds Instica.</summary>
public static class InsticaListingSyncBuilderExtensions
{
    /// <summary>
    /// Adds <see cref="InsticaClient"/> (typed <see cref="HttpClient"/> through the SDK's resilience and rate limit,
    /// credentials per seller: <c>AccessToken</c> as <c>Authorization: Bearer</c>, <c>ApiKey</c> as <c>X-API-Key</c>),
    /// <see cref="InsticaChannels"/> (one <see cref="InsticaChannel"/> per platform: <c>channels.For("ebay")</c>) and
    /// <see cref="InsticaImportChannel"/>. Options are validated at start-up.
    /// </summary>
    /// <param name="builder">The builder from <c>AddListingSync()</c>.</param>
    /// <param name="configure">Sets options: credentials, page and bulk sizes, resilience, rate limit.</param>
    /// <param name="configureHttpClient">Adds the host's own handlers or settings to the typed client's <see cref="IHttpClientBuilder"/>.</param>
    public static ListingSyncBuilder AddInstica(this ListingSyncBuilder builder, Action<InsticaClientOptions> configure, Action<IHttpClientBuilder>? configureHttpClient = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        ChannelRegistration.AddOptions<InsticaClientOptions, InsticaClientOptionsValidator>(builder.Services, configure, null, InsticaClientOptions.DefaultSection);
        return Register(builder, configureHttpClient);
    }

    /// <summary>Adds Instica with options bound from <paramref name="section"/> (e.g. <c>configuration.GetSection("ListingSync:Instica")</c>).</summary>
    public static ListingSyncBuilder AddInstica(this ListingSyncBuilder builder, IConfiguration section, Action<IHttpClientBuilder>? configureHttpClient = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(section);
        builder.Services.AddOptions<InsticaClientOptions>().Bind(section);
        ChannelRegistration.AddOptions<InsticaClientOptions, InsticaClientOptionsValidator>(builder.Services, null, section, InsticaClientOptions.DefaultSection);
        return Register(builder, configureHttpClient);
    }

    /// <summary>
    /// Registers the channel of each of <paramref name="platforms"/> (slugs such as <c>ebay</c>) for the host to resolve
    /// like any other channel: as <see cref="ListingSync.Sdk.Channels.IListingChannel"/> and
    /// <see cref="ListingSync.Sdk.Channels.IChannel"/> (among the others registered), and as a keyed
    /// <see cref="InsticaChannel"/> (<c>sp.GetRequiredKeyedService&lt;InsticaChannel&gt;("ebay")</c>). One instance per
    /// platform for the host's lifetime. Call after <c>AddInstica</c>; naming a platform twice registers it once.
    /// </summary>
    public static ListingSyncBuilder AddInsticaPlatforms(this ListingSyncBuilder builder, params string[] platforms)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(platforms);
        var services = builder.Services;
        foreach (var slug in platforms.Select(p => (p ?? throw new ArgumentException("A platform slug is null.", nameof(platforms))).Trim().ToLowerInvariant()).Distinct(StringComparer.Ordinal))
        {
            ArgumentException.ThrowIfNullOrWhiteSpace(slug, nameof(platforms));
            if (services.Any(d => d.ServiceType == typeof(InsticaChannel) && Equals(d.ServiceKey, slug)))
            {
                continue;
            }

            services.AddKeyedSingleton(slug, (sp, _) => sp.GetRequiredService<InsticaChannels>().For(slug));
            services.AddSingleton<ListingSync.Sdk.Channels.IListingChannel>(sp => sp.GetRequiredKeyedService<InsticaChannel>(slug));
            services.AddSingleton<ListingSync.Sdk.Channels.IChannel>(sp => sp.GetRequiredKeyedService<InsticaChannel>(slug));
        }

        return builder;
    }

    /// <summary>
    /// Polls Instica's orders (<see cref="InsticaOrderFeed"/>) for the sellers of <paramref name="configure"/> every
    /// <see cref="InsticaOrderSyncOptions.Interval"/> and hands each new order to the host's order handlers
    /// (<c>AddOrderHandler&lt;T&gt;()</c>, and the multi-channel <c>StockPropagation</c>). Needs <c>AddInstica</c> and
    /// an <see cref="ListingSync.Sdk.Mapping.IMappingStore"/> (where it got to is kept there).
    /// </summary>
    public static ListingSyncBuilder AddInsticaOrderSync(this ListingSyncBuilder builder, Action<InsticaOrderSyncOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        builder.Services.AddOptions<InsticaOrderSyncOptions>().Configure(configure)
            .Validate(o => o.Interval > TimeSpan.Zero, "ListingSync:Instica order sync: Interval must be greater than zero.")
            .Validate(o => o.Sellers.Count > 0, "ListingSync:Instica order sync: add the sellers whose orders are polled (InsticaOrderSyncOptions.Sellers).")
            .Validate<IServiceProvider>((_, sp) => sp.GetService<ListingSync.Sdk.Mapping.IMappingStore>() is not null, "ListingSync:Instica order sync: register a mapping store (e.g. AddSqliteMappingStore(path)): where the polling got to is kept there.")
            .ValidateOnStart();
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddHostedService<InsticaOrderSyncService>();
        return builder;
    }

    private static ListingSyncBuilder Register(ListingSyncBuilder builder, Action<IHttpClientBuilder>? configureHttpClient)
    {
        var services = builder.Services;
        var http = ChannelHttpClientRegistration.AddChannelHttpClient<InsticaClient, InsticaClientOptions>(services, InsticaClientOptions.ChannelName);
        configureHttpClient?.Invoke(http);
        services.TryAddSingleton<InsticaChannels>();
        services.TryAddTransient(sp => new InsticaImportChannel(sp.GetRequiredService<InsticaClient>()));
        services.TryAddTransient<InsticaOrderFeed>();
        return builder;
    }
}
