using ListingSync.Sdk.Channels;
using ListingSync.Sdk.Channels.Managem;
using ListingSync.Sdk.DependencyInjection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds the Managem channel.</summary>
public static class ManagemListingSyncBuilderExtensions
{
    /// <summary>
    /// Adds <see cref="ManagemClient"/>, <see cref="ManagemChannel"/> (also as <see cref="IListingChannel"/> and <see cref="IChannel"/>) and
    /// <see cref="ManagemIdentityResolver"/>. Options are validated at start-up.
    /// </summary>
    /// <param name="builder">The builder from <c>AddListingSync()</c>.</param>
    /// <param name="configure">Sets options: credentials, base address, resilience, rate limit.</param>
    /// <param name="configureHttpClient">Adds the host's own handlers or settings to the typed client's <see cref="IHttpClientBuilder"/>; they run once per attempt.</param>
    public static ListingSyncBuilder AddManagem(this ListingSyncBuilder builder, Action<ManagemClientOptions> configure, Action<IHttpClientBuilder>? configureHttpClient = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        ChannelRegistration.AddOptions<ManagemClientOptions, ManagemClientOptionsValidator>(builder.Services, configure, null, ManagemClientOptions.DefaultSection);
        return Register(builder, configureHttpClient);
    }

    /// <summary>
    /// Adds Managem with options bound from <paramref name="section"/> (e.g. <c>configuration.GetSection("ListingSync:Managem")</c>),
    /// re-read when the configuration changes, so rotated tokens apply without a restart. Errors at start-up name the
    /// section's own keys (e.g. <c>Shop:Managem:BaseAddress</c>).
    /// </summary>
    public static ListingSyncBuilder AddManagem(this ListingSyncBuilder builder, IConfiguration section, Action<IHttpClientBuilder>? configureHttpClient = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(section);
        builder.Services.AddOptions<ManagemClientOptions>().Bind(section);
        ChannelRegistration.AddOptions<ManagemClientOptions, ManagemClientOptionsValidator>(builder.Services, null, section, ManagemClientOptions.DefaultSection);
        return Register(builder, configureHttpClient);
    }

    /// <summary>
    /// Registers only Managem's webhook payload parser: for a host that receives Managem webhooks but calls no Managem
    /// API (no token, no base address, no client). Pair it with <c>AddWebhooks()</c>; the default handlers re-fetch
    /// listings through the API, so such a host sets <c>WebhookOptions.UseDefaultHandlers = false</c> and adds its own.
    /// <c>AddManagem</c> registers the parser too; calling both is harmless.
    /// </summary>
    /// <param name="builder">The builder from <c>AddListingSync()</c>.</param>
    /// <param name="currency">The account currency prices in payloads are in. Default GBP.</param>
    /// <param name="currencyDecimals">Minor-unit digits of that currency. Default 2.</param>
    public static ListingSyncBuilder AddManagemWebhookParser(this ListingSyncBuilder builder, string currency = "GBP", int currencyDecimals = 2)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<ListingSync.Sdk.Webhooks.IWebhookPayloadParser, ManagemWebhookParser>(_ => new ManagemWebhookParser(currency, currencyDecimals)));
        return builder;
    }

    private static ListingSyncBuilder Register(ListingSyncBuilder builder, Action<IHttpClientBuilder>? configureHttpClient)
    {
        var services = builder.Services;
        var http = ChannelHttpClientRegistration.AddChannelHttpClient<ManagemClient, ManagemClientOptions>(services, ManagemClientOptions.ChannelName);
        configureHttpClient?.Invoke(http);

        services.TryAddTransient<ManagemIdentityResolver>();
        services.TryAddTransient<ManagemChannel>();
        services.TryAddTransient(sp => new ManagemImportJobs(sp.GetRequiredService<ManagemChannel>(), timeProvider: sp.GetRequiredService<TimeProvider>()));
        services.TryAddEnumerable(ServiceDescriptor.Transient<IListingChannel, ManagemChannel>());
        services.TryAddEnumerable(ServiceDescriptor.Transient<IChannel, ManagemChannel>());
        services.TryAddTransient(sp => new ManagemWebhookRegistrar(
            sp.GetRequiredService<ManagemClient>(),
            sp.GetService<ListingSync.Sdk.Webhooks.WebhookSecretStore>() ?? throw new InvalidOperationException(
                "ManagemWebhookRegistrar puts the secret Managem returns into the WebhookSecretStore, so the test delivery is verified by this host's endpoint; "
                + "it is registered by .AddWebhooks(): add it to services.AddListingSync() (with a mapping store, e.g. .AddSqliteMappingStore(path)).")));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<ListingSync.Sdk.Webhooks.IWebhookPayloadParser, ManagemWebhookParser>(
            sp => new ManagemWebhookParser(sp.GetRequiredService<IOptions<ManagemClientOptions>>())));
        return builder;
    }
}
