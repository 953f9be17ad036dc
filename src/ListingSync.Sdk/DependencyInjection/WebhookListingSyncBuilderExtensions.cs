using ListingSync.Sdk.Mapping;
using ListingSync.Sdk.Webhooks;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

using ListingSync.Sdk.DependencyInjection;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers webhook reception: verification, parsing, the inbox, handlers and the worker that drains it.</summary>
public static class WebhookListingSyncBuilderExtensions
{
    /// <summary>
    /// Registers <see cref="WebhookReceiver"/>, <see cref="WebhookSecretStore"/> (as <see cref="IWebhookSecretStore"/>),
    /// <see cref="InMemoryEventInbox"/> (as <see cref="IEventInbox"/>, unless one is registered), <see cref="ListingEventProcessor"/>,
    /// the hosted <see cref="ListingEventWorker"/>, and <see cref="MappingEventHandler"/> for every event kind. Needs an
    /// <see cref="IMappingStore"/>. Map the endpoint with <c>app.MapListingSyncWebhooks(...)</c> (ListingSync.Sdk.AspNetCore).
    /// </summary>
    public static ListingSyncBuilder AddWebhooks(this ListingSyncBuilder builder, Action<WebhookOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        var options = services.AddOptions<WebhookOptions>();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        options.Validate(o => o.Tolerance > TimeSpan.Zero, "ListingSync:Webhooks:Tolerance must be positive.")
            .Validate(o => o.MaxBodyBytes > 0, "ListingSync:Webhooks:MaxBodyBytes must be positive, e.g. 262144 (256 KB); int.MaxValue means no cap.")
            .Validate(o => o.Inbox.MaxAttempts >= 1, "ListingSync:Webhooks:Inbox:MaxAttempts must be at least 1.")
            .Validate(o => o.Inbox.EventIdRetention >= 2 * o.Tolerance, "ListingSync:Webhooks:Inbox:EventIdRetention must be at least twice the Tolerance, or a replay inside the window would pass as new.")
            .ValidateOnStart();

        if (services.Any(d => d.ServiceType == typeof(WebhookReceiver)))
        {
            return builder; // registered before; only the extra configuration above applies
        }

        builder.AddEventProcessing();
        services.TryAddSingleton<WebhookSecretStore>();
        services.TryAddSingleton<IWebhookSecretStore>(sp => sp.GetRequiredService<WebhookSecretStore>());
        services.TryAddSingleton(sp => new WebhookReceiver(
            sp.GetRequiredService<IWebhookSecretStore>(),
            sp.GetRequiredService<IEventInbox>(),
            sp.GetServices<IWebhookPayloadParser>(),
            sp.GetRequiredService<IOptions<WebhookOptions>>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetService<Microsoft.Extensions.Logging.ILogger<WebhookReceiver>>(),
            sp.GetService<IMappingStore>()));
        return builder;
    }

    /// <summary>
    /// Registers what turns events into mapping updates, whichever way they arrive (signed webhooks, JTL's pulled
    /// events): <see cref="InMemoryEventInbox"/> (as <see cref="IEventInbox"/>, unless one is registered),
    /// <see cref="ListingEventProcessor"/>, the hosted <see cref="ListingEventWorker"/> that drains the inbox, and
    /// <see cref="MappingEventHandler"/> for every event kind. Needs an <see cref="IMappingStore"/>. <c>AddWebhooks()</c>
    /// calls it; a host that only pulls events (JTL) calls it alone. Safe to call more than once.
    /// </summary>
    public static ListingSyncBuilder AddEventProcessing(this ListingSyncBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        services.AddOptions<WebhookOptions>();
        if (services.Any(d => d.ServiceType == typeof(ListingEventProcessor)))
        {
            return builder;
        }

        // A missing mapping store is reported when the host starts (and when the inbox is first resolved without a
        // host), naming the registrations that provide one, never as a bare resolution error about the worker.
        services.AddOptions<WebhookOptions>().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<WebhookOptions>, MappingStoreRegistered>());
        services.TryAddSingleton<IEventInbox>(sp => new InMemoryEventInbox(MappingStoreRegistered.Require(sp), sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<IOptions<WebhookOptions>>().Value.Inbox));
        Registry(services);
        services.TryAddSingleton<ListingEventProcessor>();
        services.AddHostedService(sp => new ListingEventWorker(
            sp.GetRequiredService<ListingEventProcessor>(), MappingStoreRegistered.Require(sp), sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<IOptions<WebhookOptions>>()));
        foreach (var kind in Enum.GetValues<ListingEventKind>())
        {
            services.AddKeyedScoped<IListingEventHandler>(kind, static (sp, _) =>
                sp.GetRequiredService<IOptions<WebhookOptions>>().Value.UseDefaultHandlers
                    ? ActivatorUtilities.CreateInstance<MappingEventHandler>(sp)
                    : NoOpHandler.Instance);
        }

        return builder;
    }

    /// <summary>Adds a handler for events of <paramref name="kinds"/>, run after the default handler (resolved per event in its own scope).</summary>
    public static ListingSyncBuilder AddEventHandler<[System.Diagnostics.CodeAnalysis.DynamicallyAccessedMembers(System.Diagnostics.CodeAnalysis.DynamicallyAccessedMemberTypes.PublicConstructors)] THandler>(this ListingSyncBuilder builder, params ListingEventKind[] kinds)
        where THandler : class, IListingEventHandler
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(kinds);
        var registry = Registry(builder.Services);
        foreach (var kind in kinds)
        {
            builder.Services.AddKeyedScoped<IListingEventHandler, THandler>(kind);
            registry.Add(kind);
        }

        return builder;
    }

    /// <summary>
    /// Adds the host's handler of order events from every channel that reports them (Managem order webhooks, JTL
    /// <c>Seller:Order.*</c>), typed as <see cref="OrderEvent"/> with the channel's record in
    /// <see cref="OrderEvent.Detail"/>. Resolved per event in its own scope; an event is acknowledged only after it returned.
    /// </summary>
    public static ListingSyncBuilder AddOrderHandler<[System.Diagnostics.CodeAnalysis.DynamicallyAccessedMembers(System.Diagnostics.CodeAnalysis.DynamicallyAccessedMemberTypes.PublicConstructors)] THandler>(this ListingSyncBuilder builder)
        where THandler : class, IOrderHandler
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.TryAddScoped<THandler>();
        // Also as IOrderHandler, for order feeds that are not webhooks (Instica's polled orders).
        builder.Services.TryAddEnumerable(ServiceDescriptor.Scoped<IOrderHandler, THandler>(sp => sp.GetRequiredService<THandler>()));
        return builder.AddEventHandler<OrderHandlerAdapter<THandler>>(ListingEventKind.OrderCreated, ListingEventKind.OrderUpdated);
    }

    private static EventHandlerRegistry Registry(IServiceCollection services)
    {
        if (services.FirstOrDefault(d => d.ServiceType == typeof(EventHandlerRegistry))?.ImplementationInstance is EventHandlerRegistry existing)
        {
            return existing;
        }

        var registry = new EventHandlerRegistry();
        services.AddSingleton(registry);
        return registry;
    }

    /// <summary>The start-up check that an <see cref="IMappingStore"/> is registered, with the fix in its message.</summary>
    private sealed class MappingStoreRegistered(IServiceProvider services) : IValidateOptions<WebhookOptions>
    {
        internal const string Missing =
            "Event processing (AddWebhooks() / AddEventProcessing()) keeps processed event ids and the mapping in an IMappingStore, and none is registered: "
            + "add .AddSqliteMappingStore(path) (package ListingSync.Sdk.Sqlite), .AddInMemoryMappingStore() (tests, one process) or register your own IMappingStore.";

        public ValidateOptionsResult Validate(string? name, WebhookOptions options) =>
            services.GetService<IServiceProviderIsService>() is { } registered && !registered.IsService(typeof(IMappingStore))
                ? ValidateOptionsResult.Fail(Missing)
                : ValidateOptionsResult.Success;

        public static IMappingStore Require(IServiceProvider services) =>
            services.GetService<IMappingStore>() ?? throw new InvalidOperationException(Missing);
    }

    private sealed class NoOpHandler : IListingEventHandler
    {
        public static readonly NoOpHandler Instance = new();

        public Task HandleAsync(ListingEvent listingEvent, CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
