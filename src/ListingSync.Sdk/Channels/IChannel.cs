namespace ListingSync.Sdk.Channels;

/// <summary>
/// What every channel is, whichever way its data flows: a name and what it can do. Managem and the other marketplaces
/// the host lists on are <see cref="IListingChannel"/>s; JTL, where the host is the channel, implements this root and
/// the optional interfaces it supports (<see cref="IListingStatusReporter"/>). A host asks any registered channel what
/// it can do through this one interface (resolve <c>IEnumerable&lt;IChannel&gt;</c>).
/// </summary>
public interface IChannel
{
    /// <summary>The channel's stable name, e.g. <c>managem</c>; used in mappings, metrics and logs.</summary>
    string Name { get; }

    /// <summary>What this channel can do. A member whose capability is missing throws <see cref="NotSupportedException"/> naming it.</summary>
    ChannelCapabilities Capabilities { get; }
}
