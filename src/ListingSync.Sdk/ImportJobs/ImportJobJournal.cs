using System.Globalization;
using ListingSync.Sdk.Mapping;

namespace ListingSync.Sdk.ImportJobs;

/// <summary>
/// The import jobs an apply started and has not seen finish, kept in the mapping store (cursor <c>import-jobs</c>) so
/// that after a crash, a kill or a cancel the next plan waits for them before it plans a create for their rows. An
/// entry without an id is an upload that began and whose job the marketplace may have accepted.
/// </summary>
internal sealed class ImportJobJournal(IMappingStore store, MappingScope scope)
{
    public const string CursorName = "import-jobs";
    private const string Unknown = "?";

    public async ValueTask<IReadOnlyList<(string? Id, DateTimeOffset Since)>> ReadAsync(CancellationToken cancellationToken)
    {
        var text = await store.GetCursorAsync(scope, CursorName, cancellationToken).ConfigureAwait(false);
        if (string.IsNullOrEmpty(text))
        {
            return [];
        }

        var entries = new List<(string?, DateTimeOffset)>();
        foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var tab = line.IndexOf('\t', StringComparison.Ordinal);
            if (tab > 0 && long.TryParse(line.AsSpan(tab + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var ticks))
            {
                var id = line[..tab];
                entries.Add((id == Unknown ? null : id, new DateTimeOffset(ticks, TimeSpan.Zero)));
            }
        }

        return entries;
    }

    public ValueTask UploadStartingAsync(DateTimeOffset at, CancellationToken cancellationToken) => AddAsync(Unknown, at, cancellationToken);

    public ValueTask JobStartedAsync(string id, DateTimeOffset at, CancellationToken cancellationToken) => AddAsync(id, at, cancellationToken);

    public ValueTask ClearAsync(CancellationToken cancellationToken) => store.SetCursorAsync(scope, CursorName, string.Empty, cancellationToken);

    private async ValueTask AddAsync(string id, DateTimeOffset at, CancellationToken cancellationToken)
    {
        var current = await store.GetCursorAsync(scope, CursorName, cancellationToken).ConfigureAwait(false);
        var line = string.Create(CultureInfo.InvariantCulture, $"{id}\t{at.UtcTicks}\n");
        await store.SetCursorAsync(scope, CursorName, (current ?? string.Empty) + line, cancellationToken).ConfigureAwait(false);
    }
}
