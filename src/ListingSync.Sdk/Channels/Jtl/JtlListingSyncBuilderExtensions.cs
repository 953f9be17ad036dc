using ListingSync.Sdk.Channels.Jtl;
using ListingSync.Sdk.Webhooks;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

using ListingSync.Sdk.DependencyInjection;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds the JTL Channel API.</summary>
public static class JtlListingSyncBuilderExtensions
{
    /// <summary>
    /// Adds <see cref="JtlClient"/> (typed <see cref="HttpClient"/> through the SDK's resilience and per-route-group rate
    /// limits, session tokens from <see cref="JtlTokenProvider"/>), <see cref="JtlChannel"/> (also as <see cref="ListingSync.Sdk.Channels.IChannel"/>),
    /// <see cref="JtlStockFollower"/> and <see cref="JtlEventPoller"/>. Options are validated at start-up. The poller hands
    /// events to the event processing of <c>AddEventProcessing()</c> (or <c>AddWebhooks()</c>) and needs an
    /// <see cref="ListingSync.Sdk.Mapping.IMappingStore"/>; nothing else is registered on its behalf.
    /// </summary>
    /// <param name="builder">The builder from <c>AddListingSync()</c>.</param>
    /// <param name="configure">Sets options: refresh token, base address, polling, resilience, rate limits.</param>
    /// <param name="configureHttpClient">Adds the host's own handlers or settings to the typed client's <see cref="IHttpClientBuilder"/>.</param>
    public static ListingSyncBuilder AddJtl(this ListingSyncBuilder builder, Action<JtlClientOptions> configure, Action<IHttpClientBuilder>? configureHttpClient = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        ChannelRegistration.AddOptions<JtlClientOptions, JtlClientOptionsValidator>(builder.Services, configure, null, JtlClientOptions.DefaultSection);
        return Register(builder, configureHttpClient);
    }

    /// <summary>
    /// Adds the JTL Channel API with options bound from <paramref name="section"/> (e.g. <c>configuration.GetSection("ListingSync:Jtl")</c>),
    /// re-read when the configuration changes. Errors at start-up name the section's own keys.
    /// </summary>
    public static ListingSyncBuilder AddJtl(this ListingSyncBuilder builder, IConfiguration section, Action<IHttpClientBuilder>? configureHttpClient = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(section);
        builder.Services.AddOptions<JtlClientOptions>().Bind(section);
        ChannelRegistration.AddOptions<JtlClientOptions, JtlClientOptionsValidator>(builder.Services, null, section, JtlClientOptions.DefaultSection);
        return Register(builder, configureHttpClient);
    }

    private static ListingSyncBuilder Register(ListingSyncBuilder builder, Action<IHttpClientBuilder>? configureHttpClient)
    {
        var services = builder.Services;
        services.AddHttpClient(JtlTokenProvider.AuthClientName, static (sp, client) => client.Timeout = TimeSpan.FromSeconds(30))
            .RemoveAllLoggers();
        services.TryAddSingleton(sp => new JtlTokenProvider(sp.GetRequiredService<IHttpClientFactory>(), sp.GetRequiredService<IOptionsMonitor<JtlClientOptions>>(), sp.GetRequiredService<TimeProvider>()));
        var http = ChannelHttpClientRegistration.AddChannelHttpClient<JtlClient, JtlClientOptions>(services, JtlClientOptions.ChannelName, static sp => sp.GetRequiredService<JtlTokenProvider>());
        configureHttpClient?.Invoke(http);
        services.TryAddTransient(sp => new JtlChannel(sp.GetRequiredService<JtlClient>()));
        services.TryAddEnumerable(ServiceDescriptor.Transient<ListingSync.Sdk.Channels.IChannel, JtlChannel>(sp => sp.GetRequiredService<JtlChannel>()));
        services.TryAddTransient(sp => new JtlStockFollower(sp.GetRequiredService<JtlClient>(), sp.GetRequiredService<ListingSync.Sdk.Mapping.IMappingStore>()));
        services.TryAddSingleton(sp => new JtlEventPoller(
            sp.GetRequiredService<JtlClient>(),
            sp.GetService<ListingEventProcessor>() ?? throw new InvalidOperationException(
                "JtlEventPoller hands every pulled event to the ListingEventProcessor, which is not registered: add .AddEventProcessing() (or .AddWebhooks() when the host also receives webhooks) to AddListingSync()."),
            sp.GetRequiredService<ListingSync.Sdk.Mapping.IMappingStore>(),
            sp.GetRequiredService<IOptionsMonitor<JtlClientOptions>>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetService<ILogger<JtlEventPoller>>()));
        return builder;
    }

    /// <summary>Runs the <see cref="JtlEventPoller"/> as a hosted service (every <see cref="JtlClientOptions.PollInterval"/>).</summary>
    public static ListingSyncBuilder AddJtlEventPolling(this ListingSyncBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddHostedService<JtlEventPollerService>();
        return builder;
    }
}
