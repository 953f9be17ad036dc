using ListingSync.Sdk.Channels;
using ListingSync.Sdk.Model;

namespace ListingSync.Sdk.Testing;

/// <summary>
/// A channel under <see cref="ListingChannelContract"/>, with the hooks the contract needs to look at the
/// marketplace's own books (an emulator's, or a sandbox account's). Disposing it disposes <see cref="Owner"/>.
/// </summary>
public sealed class ListingChannelContractSubject : IAsyncDisposable
{
    /// <summary>The channel, wired the way a host wires it.</summary>
    public required IListingChannel Channel { get; init; }

    /// <summary>The seller the cases act for; it starts with no listings.</summary>
    public required SellerScope Seller { get; init; }

    /// <summary>The n-th valid draft, distinct products for distinct n, with reference <c>contract-{n}</c>.</summary>
    public required Func<int, ListingDraft> Draft { get; init; }

    /// <summary>How many listings the seller has, read from the marketplace's own books (not through the channel).</summary>
    public required Func<Task<int>> CountListings { get; init; }

    /// <summary>Puts the draft's product on the marketplace without a host reference, as if listed before the integration.</summary>
    public required Func<ListingDraft, Task> SeedWithoutReference { get; init; }

    /// <summary>Makes the next create call be applied and its answer lost (a 500 or a dropped connection after the write).</summary>
    public required Action LoseNextCreateAnswer { get; init; }

    /// <summary>Whatever must be disposed with the subject (the emulator, the service provider).</summary>
    public IAsyncDisposable? Owner { get; init; }

    /// <inheritdoc />
    public ValueTask DisposeAsync() => Owner?.DisposeAsync() ?? ValueTask.CompletedTask;
}
