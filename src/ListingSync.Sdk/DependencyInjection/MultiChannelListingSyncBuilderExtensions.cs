using ListingSync.Sdk.DependencyInjection;
using ListingSync.Sdk.Mapping;
using ListingSync.Sdk.MultiChannel;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds the multi-channel sync.</summary>
public static class MultiChannelListingSyncBuilderExtensions
{
    /// <summary>
    /// Adds <see cref="MultiChannelSync"/> over the channels of <paramref name="configure"/> (call it on demand), the
    /// hosted service that runs it on <see cref="MultiChannelOptions.Interval"/> and retries the stock backlog, and
    /// <see cref="StockPropagation"/> as an order handler (a sale on any channel is booked by the host's
    /// <see cref="IInventorySource"/>, which the host registers, and pushed to every channel by <see cref="StockPusher"/>).
    /// Needs an <see cref="IMappingStore"/>.
    /// </summary>
    public static ListingSyncBuilder AddMultiChannel(this ListingSyncBuilder builder, Action<MultiChannelOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        var services = builder.Services;
        services.AddOptions<MultiChannelOptions>().Configure(configure)
            .Validate(o => o.Channels.Count > 0, "ListingSync multi-channel: add at least one channel (MultiChannelOptions.Channels).")
            .Validate(o => o.BacklogRetryInterval > TimeSpan.Zero, "ListingSync multi-channel: MultiChannelOptions.BacklogRetryInterval must be greater than zero.")
            .Validate<IServiceProvider>((_, sp) => sp.GetService<IInventorySource>() is not null, "ListingSync multi-channel: register the host's inventory as IInventorySource (services.AddSingleton<IInventorySource, MyInventory>()): full syncs read it and sales are booked in it.")
            .ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(sp => new MultiChannelSync(
            sp.GetRequiredService<IMappingStore>(),
            [.. sp.GetRequiredService<IOptions<MultiChannelOptions>>().Value.Channels.Select(make => make(sp))],
            sp.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton<StockPusher>();
        services.AddHostedService<MultiChannelService>();
        return builder.AddOrderHandler<StockPropagation>();
    }
}
