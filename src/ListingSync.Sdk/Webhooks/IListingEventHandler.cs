namespace ListingSync.Sdk.Webhooks;

/// <summary>
/// Handles events of the kinds it is registered for (<c>AddEventHandler&lt;T&gt;(kind)</c>; keyed by
/// <see cref="ListingEventKind"/> in DI, resolved in a fresh scope per event). Handlers run after the marketplace has
/// been answered; one that throws makes the inbox retry the event. Handlers must be idempotent: an event may be
/// handled again after a crash or a retry.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1711", Justification = "It handles listing events; it is not a .NET event delegate, and 'handler' is the word the docs use.")]
public interface IListingEventHandler
{
    /// <summary>Handles one event.</summary>
    Task HandleAsync(ListingEvent listingEvent, CancellationToken cancellationToken);
}
