using ListingSync.Sdk.Channels.Shopiro;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;

using ListingSync.Sdk.DependencyInjection;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds Shopiro.</summary>
public static class ShopiroListingSyncBuilderExtensions
{
    /// <summary>
    /// Adds <see cref="ShopiroClient"/> (typed <see cref="HttpClient"/> through the SDK's resilience and rate limit,
    /// credentials per seller) and <see cref="ShopiroChannel"/> (also as <see cref="ListingSync.Sdk.Channels.IListingChannel"/>
    /// and <see cref="ListingSync.Sdk.Channels.IChannel"/>). Options are validated at start-up.
    /// </summary>
    /// <param name="builder">The builder from <c>AddListingSync()</c>.</param>
    /// <param name="configure">Sets options: token or API key, request encoding, creation-date zone, resilience, rate limit.</param>
    /// <param name="configureHttpClient">Adds the host's own handlers or settings to the typed client's <see cref="IHttpClientBuilder"/>.</param>
    public static ListingSyncBuilder AddShopiro(this ListingSyncBuilder builder, Action<ShopiroClientOptions> configure, Action<IHttpClientBuilder>? configureHttpClient = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        ChannelRegistration.AddOptions<ShopiroClientOptions, ShopiroClientOptionsValidator>(builder.Services, configure, null, ShopiroClientOptions.DefaultSection);
        return Register(builder, configureHttpClient);
    }

    /// <summary>Adds Shopiro with options bound from <paramref name="section"/> (e.g. <c>configuration.GetSection("ListingSync:Shopiro")</c>).</summary>
    public static ListingSyncBuilder AddShopiro(this ListingSyncBuilder builder, IConfiguration section, Action<IHttpClientBuilder>? configureHttpClient = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(section);
        builder.Services.AddOptions<ShopiroClientOptions>().Bind(section);
        ChannelRegistration.AddOptions<ShopiroClientOptions, ShopiroClientOptionsValidator>(builder.Services, null, section, ShopiroClientOptions.DefaultSection);
        return Register(builder, configureHttpClient);
    }

    private static ListingSyncBuilder Register(ListingSyncBuilder builder, Action<IHttpClientBuilder>? configureHttpClient)
    {
        var services = builder.Services;
        var http = ChannelHttpClientRegistration.AddChannelHttpClient<ShopiroClient, ShopiroClientOptions>(services, ShopiroClientOptions.ChannelName);
        configureHttpClient?.Invoke(http);
        services.TryAddTransient(sp => new ShopiroChannel(sp.GetRequiredService<ShopiroClient>()));
        services.TryAddEnumerable(ServiceDescriptor.Transient<ListingSync.Sdk.Channels.IListingChannel, ShopiroChannel>(sp => sp.GetRequiredService<ShopiroChannel>()));
        services.TryAddEnumerable(ServiceDescriptor.Transient<ListingSync.Sdk.Channels.IChannel, ShopiroChannel>(sp => sp.GetRequiredService<ShopiroChannel>()));
        return builder;
    }
}
