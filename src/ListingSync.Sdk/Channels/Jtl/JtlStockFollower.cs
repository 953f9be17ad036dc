using System.Globalization;
using System.Runtime.CompilerServices;
using ListingSync.Sdk.Mapping;
using ListingSync.Sdk.Model;

namespace ListingSync.Sdk.Channels.Jtl;

/// <summary>
/// Follows JTL's stock updates with the <c>lastUpdatedAt</c> cursor kept in the mapping store (cursor
/// <c>stock-updates</c> in scope <c>jtl</c> / seller, or <c>jtl</c> / <c>*</c> for all sellers). The cursor moves only
/// after a page's changes have been consumed, so a restart resumes where the last run stopped and loses nothing.
/// </summary>
public sealed class JtlStockFollower
{
    /// <summary>The cursor's name in the store.</summary>
    public const string CursorName = "stock-updates";

    private readonly JtlClient _client;
    private readonly IMappingStore _store;

    /// <summary>Creates the follower.</summary>
    public JtlStockFollower(JtlClient client, IMappingStore store)
    {
        _client = client ?? throw new ArgumentNullException(nameof(client));
        _store = store ?? throw new ArgumentNullException(nameof(store));
    }

    /// <summary>The stored cursor for <paramref name="sellerId"/> (null: all sellers), or null before the first page.</summary>
    public async Task<DateTimeOffset?> GetCursorAsync(string? sellerId, CancellationToken cancellationToken = default) =>
        await _store.GetCursorAsync(Scope(sellerId), CursorName, cancellationToken).ConfigureAwait(false) is { } text
            ? DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind)
            : null;

    /// <summary>
    /// Streams every stock change after the stored cursor (or <paramref name="start"/> the first time), page by page,
    /// storing the cursor after each page is consumed.
    /// </summary>
    public async IAsyncEnumerable<JtlStockChange> ReadAsync(string? sellerId = null, DateTimeOffset? start = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var scope = Scope(sellerId);
        var cursor = await GetCursorAsync(sellerId, cancellationToken).ConfigureAwait(false) ?? start ?? DateTimeOffset.UnixEpoch;
        while (true)
        {
            var (changes, last) = await _client.GetStockUpdatesAsync(cursor, sellerId, cancellationToken).ConfigureAwait(false);
            foreach (var change in changes)
            {
                yield return change;
            }

            if (changes.Count == 0 || last is not { } next || next <= cursor)
            {
                yield break;
            }

            cursor = next;
            await _store.SetCursorAsync(scope, CursorName, JtlClient.Stamp(cursor), cancellationToken).ConfigureAwait(false);
        }
    }

    private static MappingScope Scope(string? sellerId) => new(JtlClientOptions.ChannelName, new SellerScope(sellerId ?? "*"));
}
