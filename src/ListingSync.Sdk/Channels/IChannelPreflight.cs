using ListingSync.Sdk.Model;

namespace ListingSync.Sdk.Channels;

/// <summary>
/// A channel whose writes need account-level prerequisites (Instica: an active subscription, a primary address, a
/// valid connection to the platform). The reconciler checks them once per plan: a missing one is named in
/// <see cref="Reconciliation.ReconciliationPlan.MissingPrerequisites"/> and the plan's limitations, and
/// <c>ApplyAsync</c> refuses that plan's writes with one <see cref="ChannelPrerequisiteException"/> instead of failing
/// item by item.
/// </summary>
public interface IChannelPreflight
{
    /// <summary>The prerequisites this seller is missing on the channel; empty when writes can go ahead.</summary>
    Task<IReadOnlyList<ChannelPrerequisite>> CheckPrerequisitesAsync(SellerScope seller, CancellationToken cancellationToken = default);
}

/// <summary>A prerequisite a seller is missing on a channel.</summary>
/// <param name="Name">A short name, e.g. <c>subscription</c>, <c>primary-address</c>, <c>platform-connection</c>.</param>
/// <param name="Message">What is missing and how to fix it.</param>
public sealed record ChannelPrerequisite(string Name, string Message)
{
    /// <inheritdoc />
    public override string ToString() => $"{Name}: {Message}";
}

/// <summary>An apply refused because the channel is missing a prerequisite; nothing was written.</summary>
public sealed class ChannelPrerequisiteException : ListingSyncException
{
    /// <summary>Creates the exception.</summary>
    public ChannelPrerequisiteException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public ChannelPrerequisiteException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and cause.</summary>
    public ChannelPrerequisiteException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>What is missing.</summary>
    public IReadOnlyList<ChannelPrerequisite> Missing { get; init; } = [];
}
