using System.Diagnostics.CodeAnalysis;
using System.Net;
using ListingSync.Sdk.Http;
using ListingSync.Sdk.Resilience;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace ListingSync.Sdk.DependencyInjection;

/// <summary>The typed <see cref="HttpClient"/> every channel client gets: base address, no client timeout, pooled sockets, the SDK's pipeline.</summary>
internal static class ChannelHttpClientRegistration
{
    /// <summary>
    /// Registers <typeparamref name="TClient"/> as a typed client named <paramref name="channel"/>: base address from the
    /// options (every channel's options default it to the vendor's production address; start-up validation refuses none), timeouts left to the resilience pipeline, the factory's loggers
    /// removed (the SDK logs each attempt itself; hosts add them back with <c>AddDefaultLogger()</c>), and
    /// <see cref="ChannelHttpHandler"/> with credentials from <paramref name="credentials"/> (default: a registered
    /// <see cref="ICredentialProvider"/>, else the options).
    /// </summary>
    public static IHttpClientBuilder AddChannelHttpClient<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] TClient, [DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicParameterlessConstructor)] TOptions>(
        IServiceCollection services, string channel, Func<IServiceProvider, ICredentialProvider?>? credentials = null)
        where TClient : class
        where TOptions : ChannelClientOptions
    {
        return services.AddHttpClient<TClient>(channel, (sp, client) =>
            {
                var address = sp.GetRequiredService<IOptionsMonitor<TOptions>>().CurrentValue.BaseAddress
                    ?? throw new InvalidOperationException($"{typeof(TOptions).Name}.BaseAddress is not set.");
                client.BaseAddress = address.AbsoluteUri.EndsWith('/') ? address : new Uri(address.AbsoluteUri + "/");
                client.Timeout = Timeout.InfiniteTimeSpan; // the resilience pipeline owns timeouts
                client.DefaultRequestHeaders.UserAgent.ParseAdd("ListingSync.Sdk/" + typeof(TClient).Assembly.GetName().Version?.ToString(3));
            })
            .RemoveAllLoggers()
            .ConfigurePrimaryHttpMessageHandler(static () => new SocketsHttpHandler
            {
                PooledConnectionLifetime = TimeSpan.FromMinutes(5),
                AutomaticDecompression = DecompressionMethods.All,
            })
            .AddHttpMessageHandler(sp =>
            {
                var options = sp.GetRequiredService<IOptionsMonitor<TOptions>>();
                return new ChannelHttpHandler(
                    channel,
                    () => options.CurrentValue,
                    credentials is null ? sp.GetService<ICredentialProvider>() : credentials(sp),
                    sp.GetRequiredService<RateLimiterRegistry>(),
                    sp.GetRequiredService<TimeProvider>(),
                    sp.GetService<ILoggerFactory>()?.CreateLogger("ListingSync.Sdk.Http." + channel) ?? NullLogger.Instance);
            });
    }
}
