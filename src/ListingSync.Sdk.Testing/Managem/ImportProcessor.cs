using System.Globalization;
using System.Text.RegularExpressions;

namespace ListingSync.Sdk.Testing.Managem;

/// <summary>
/// Runs uploaded CSV imports in the background, as Managem does: batches of <see cref="ManagemEmulatorOptions.ImportBatchSize"/>
/// rows every <see cref="ManagemEmulatorOptions.ImportBatchDelay"/>, honouring pause, resume and terminate, recording a
/// batch entry and progress counts, and a row error quoting the original line for every row it cannot import.
/// </summary>
internal sealed partial class ImportProcessor : IAsyncDisposable
{
    private static readonly HashSet<string> Conditions = new(["MT", "NM", "EX", "GD", "LP", "MP", "PL", "HP", "PO", "DMG", "NEW"], StringComparer.Ordinal);
    private readonly ManagemEmulator _emulator;
    private readonly CancellationTokenSource _stop = new();
    private Task? _loop;

    public ImportProcessor(ManagemEmulator emulator) => _emulator = emulator;

    public void Start() => _loop = Task.Run(LoopAsync);

    private async Task LoopAsync()
    {
        var options = _emulator.Options;
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                await Task.Delay(options.ImportBatchDelay, _stop.Token).ConfigureAwait(false);
                foreach (var state in _emulator.AllSellers())
                {
                    lock (state)
                    {
                        foreach (var import in state.Imports.Values)
                        {
                            if (import.Status == "RUNNING")
                            {
                                RunBatch(state, import, options.ImportBatchSize);
                            }
                        }
                    }
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>Imports the next batch of rows. Call with the seller's lock held.</summary>
    private void RunBatch(ManagemEmulator.SellerState state, EmulatedImport import, int size)
    {
        var end = (int)Math.Min(import.Rows.Length, import.Next + size);
        long ok = 0, failed = 0;
        for (var i = import.Next; i < end; i++)
        {
            var row = import.Rows[i];
            var error = ImportRow(state, row);
            if (error is null)
            {
                ok++;
            }
            else
            {
                failed++;
                import.Errors.Add(new EmulatedImportError(_emulator.NextId("ime"), error.Value.Code, $"line {row.LineNumber}: {error.Value.Message}", row.Raw));
            }
        }

        import.Next = end;
        import.Successful += ok;
        import.Failed += failed;
        var now = _emulator.Time.GetUtcNow();
        import.Batches.Add(new EmulatedImportBatch(_emulator.NextId("imb"), ok + failed, ok, failed, "COMPLETED", now));
        import.UpdatedAt = now;
        if (import.Next >= import.Rows.Length)
        {
            import.Status = "COMPLETED";
        }
    }

    private (int Code, string Message)? ImportRow(ManagemEmulator.SellerState state, ImportRowData row)
    {
        var f = row.Fields;
        if (f.Length != 15)
        {
            return (400, $"expected 15 columns, found {f.Length}");
        }

        var mode = f[0].ToLowerInvariant();
        if (mode is not ("create" or "update" or "upsert" or "delete"))
        {
            return (400, $"MODE '{f[0]}' is not one of create, update, upsert, delete");
        }

        var reference = ManagemEmulator.NormalizeReference(f[14]);
        if (reference is { Length: > 255 })
        {
            return (400, "REFERENCE is longer than 255 characters");
        }

        var existing = reference is null ? null : state.Ordered.FirstOrDefault(l => l.Reference == reference);
        if (mode == "delete")
        {
            if (existing is null)
            {
                return (404, $"no listing with REFERENCE '{reference}'");
            }

            state.Remove(existing);
            _emulator.Emit(state, "LISTING_DELETED", ManagemEmulator.ListingEventData(existing));
            return null;
        }

        if (mode == "update" && existing is null)
        {
            return (404, $"no listing with REFERENCE '{reference}' to update");
        }

        if (!long.TryParse(f[8], NumberStyles.None, CultureInfo.InvariantCulture, out var price))
        {
            return (400, $"PRICE '{f[8]}' is not a whole, non-negative number of minor units");
        }

        if (!int.TryParse(f[9], NumberStyles.None, CultureInfo.InvariantCulture, out var quantity))
        {
            return (400, $"QUANTITY '{f[9]}' is not a whole, non-negative number");
        }

        if (!Conditions.Contains(f[7]))
        {
            return (400, $"CONDITION '{f[7]}' is not a known condition");
        }

        if (f[11] is not ("" or "true" or "false"))
        {
            return (400, $"HIDDEN '{f[11]}' must be true or false");
        }

        EmulatedListing listing;
        if (existing is not null && mode is "update" or "upsert")
        {
            listing = existing!;
        }
        else
        {
            if (Resolve(f) is not { } item)
            {
                return (404, "no catalogue item matches the row's URN, CARDMARKET_ID, TCGPLAYER_ID or GAME + SET + NAME");
            }

            listing = _emulator.NewListing(state, item, price, quantity, reference);
            state.Add(listing);
        }

        var created = !ReferenceEquals(listing, existing);
        listing.Price = price;
        listing.Available = created ? quantity : Math.Max(0, listing.Available + (quantity - listing.Quantity));
        listing.Quantity = quantity;
        listing.Condition = f[7];
        listing.Hidden = f[11] == "true";
        listing.Variants = f[10].Length == 0 ? [] : [.. f[10].Split('|')];
        listing.Comment = Unescape(f[12]);
        listing.Notes = Unescape(f[13]);
        listing.Valid = listing.Price < 2000;
        if (!created)
        {
            listing.UpdatedAt = _emulator.NextUpdateStamp(listing.UpdatedAt);
        }

        _emulator.Emit(state, created ? "LISTING_CREATED" : "LISTING_UPDATED", ManagemEmulator.ListingEventData(listing));
        return null;
    }

    private EmulatedItem? Resolve(string[] f)
    {
        var catalogue = _emulator.Catalogue;
        if (f[1].Length > 0)
        {
            return catalogue.ByUrn(f[1]);
        }

        if (f[5].Length > 0)
        {
            return long.TryParse(f[5], NumberStyles.None, CultureInfo.InvariantCulture, out var cardmarket) ? catalogue.ByCardmarketId(cardmarket) : null;
        }

        if (f[6].Length > 0)
        {
            return long.TryParse(f[6], NumberStyles.None, CultureInfo.InvariantCulture, out var tcgplayer) ? catalogue.ByTcgplayerId(tcgplayer) : null;
        }

        var (game, set, name) = (Unescape(f[2]), Unescape(f[3]), Unescape(f[4]));
        var matches = catalogue.Items.Where(i => string.Equals(i.Game, game, StringComparison.OrdinalIgnoreCase)
            && string.Equals(i.Set.Name, set, StringComparison.OrdinalIgnoreCase)
            && string.Equals(i.Name, name, StringComparison.OrdinalIgnoreCase)).Take(2).ToList();
        return matches.Count == 1 ? matches[0] : null;
    }

    /// <summary>A cell as stored: the apostrophe a careful writer puts before formula characters is not part of the value.</summary>
    private static string Unescape(string cell) => cell.Length > 1 && cell[0] == '\'' && cell[1] is '=' or '+' or '-' or '@' or '\t' or '\r' ? cell[1..] : cell;

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        if (_loop is not null)
        {
            await _loop.ConfigureAwait(false);
        }

        _stop.Dispose();
    }
}

/// <summary>One data row of an uploaded file: where it was, its raw text, its fields.</summary>
internal sealed record ImportRowData(long LineNumber, string Raw, string[] Fields);

/// <summary>One processed batch of an import.</summary>
public sealed record EmulatedImportBatch(string Id, long Total, long Successful, long Failed, string Status, DateTimeOffset UpdatedAt);
