using ListingSync.Sdk.Channels.Jtl;
using ListingSync.Sdk.Webhooks;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ListingSync.Sdk.DependencyInjection;

/// <summary>Registers the JTL Channel API client.</summary>
public static class JtlListingSyncBuilderExtensions
{
    /// <summary>
    /// Registers <see cref="JtlClient"/> (typed <see cref="HttpClient"/> through the SDK's resilience and per-route-group
    /// rate limits, session tokens from <see cref="JtlTokenProvider"/>), the token provider and <see cref="JtlEventPoller"/>.
    /// The poller needs an <see cref="Mapping.IMappingStore"/>; the event processor and default handlers come with
    /// <c>AddWebhooks()</c>, which this calls when it has not been called.
    /// </summary>
    public static ListingSyncBuilder AddJtl(this ListingSyncBuilder builder, Action<JtlClientOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        var services = builder.Services;
        services.AddOptions<JtlClientOptions>().Configure(configure)
            .Validate(o => !string.IsNullOrWhiteSpace(o.RefreshToken), $"{JtlClientOptions.DefaultSection}:RefreshToken is required.")
            .Validate(o => o.AcknowledgeVerb.ToUpperInvariant() is "DELETE" or "PATCH", $"{JtlClientOptions.DefaultSection}:AcknowledgeVerb must be DELETE or PATCH.")
            .Validate(o => o.EventLimit is >= 1 and <= 1_000, $"{JtlClientOptions.DefaultSection}:EventLimit must be between 1 and 1000.")
            .Validate(o => o.RenewBefore >= TimeSpan.Zero, $"{JtlClientOptions.DefaultSection}:RenewBefore must not be negative.")
            .ValidateOnStart();

        services.AddHttpClient(JtlTokenProvider.AuthClientName, static (sp, client) => client.Timeout = TimeSpan.FromSeconds(30))
            .RemoveAllLoggers();
        services.TryAddSingleton(sp => new JtlTokenProvider(sp.GetRequiredService<IHttpClientFactory>(), sp.GetRequiredService<IOptionsMonitor<JtlClientOptions>>(), sp.GetRequiredService<TimeProvider>()));
        ChannelHttpClientRegistration.AddChannelHttpClient<JtlClient, JtlClientOptions>(services, JtlClientOptions.ChannelName, JtlClientOptions.SandboxBaseAddress, static sp => sp.GetRequiredService<JtlTokenProvider>());
        services.TryAddTransient(sp => new JtlChannel(sp.GetRequiredService<JtlClient>()));
        services.TryAddEnumerable(ServiceDescriptor.Transient<Channels.IChannel, JtlChannel>(sp => sp.GetRequiredService<JtlChannel>()));
        services.TryAddTransient(sp => new JtlStockFollower(sp.GetRequiredService<JtlClient>(), sp.GetRequiredService<Mapping.IMappingStore>()));
        if (!services.Any(d => d.ServiceType == typeof(ListingEventProcessor)))
        {
            builder.AddWebhooks(); // the event processor and the default handlers the poller runs
        }

        services.TryAddSingleton(sp => new JtlEventPoller(
            sp.GetRequiredService<JtlClient>(),
            sp.GetRequiredService<ListingEventProcessor>(),
            sp.GetRequiredService<Mapping.IMappingStore>(),
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
