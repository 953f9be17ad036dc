using System.Globalization;
using System.Text;
using CsvHelper;
using CsvHelper.Configuration;
using ListingSync.Sdk.Model;
using ListingSync.Sdk.Validation;

namespace ListingSync.Sdk.Channels.Managem;

/// <summary>
/// Builds Managem CSV import files from canonical drafts: the exact header and column order Managem requires,
/// every row validated before it is written (an invalid row is reported with its reasons and never written), streamed
/// to any <see cref="Stream"/> without holding the file in memory, split into several files at
/// <see cref="ManagemCsvImportOptions.MaxRowsPerFile"/>. Invariant culture, UTF-8 without BOM, RFC 4180 quoting, and
/// spreadsheet formula injection neutralised in free-text columns.
/// </summary>
/// <remarks>
/// Column rules: one identity per row, the strongest the draft has, in the resolver's order (URN, then Cardmarket id,
/// then TCGplayer id, then game + set + name); PRICE in minor units of the account currency; VARIANTS joined with
/// <see cref="ManagemCsvImportOptions.VariantSeparator"/>; HIDDEN <c>true</c>/<c>false</c>; REFERENCE trimmed (over 255
/// characters is an error, never a silent cut: a cut reference would no longer find its product). The file has no
/// language or grading column, so drafts in another language than <see cref="ManagemCsvImportOptions.Language"/>, or
/// graded, are reported as not importable rather than imported wrong.
/// </remarks>
public sealed class ManagemCsvImportBuilder
{
    /// <summary>The header Managem requires, in its exact order.</summary>
    public const string Header = "MODE,URN,GAME,SET,NAME,CARDMARKET_ID,TCGPLAYER_ID,CONDITION,PRICE,QUANTITY,VARIANTS,HIDDEN,COMMENT,NOTES,REFERENCE";

    /// <summary>The most rows Managem accepts in one file.</summary>
    public const int MaxRowsPerFileLimit = 2_000_000;

    /// <summary>The columns, in order.</summary>
    public static IReadOnlyList<string> Columns { get; } = Header.Split(',');

    private static readonly UTF8Encoding Utf8NoBom = new(encoderShouldEmitUTF8Identifier: false);

    // Quantities are small: their text is made once, not once per row.
    private static readonly string[] SmallNumbers = [.. Enumerable.Range(0, 1024).Select(i => i.ToString(CultureInfo.InvariantCulture))];
    private readonly ManagemCsvImportOptions _options;
    private readonly CsvConfiguration _csv;

    /// <summary>Creates a builder.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><see cref="ManagemCsvImportOptions.MaxRowsPerFile"/> is outside 1..2,000,000.</exception>
    public ManagemCsvImportBuilder(ManagemCsvImportOptions? options = null)
    {
        _options = options ?? new ManagemCsvImportOptions();
        if (_options.MaxRowsPerFile is < 1 or > MaxRowsPerFileLimit)
        {
            throw new ArgumentOutOfRangeException(nameof(options), _options.MaxRowsPerFile, $"MaxRowsPerFile must be between 1 and {MaxRowsPerFileLimit:N0}.");
        }

        ArgumentException.ThrowIfNullOrWhiteSpace(_options.Currency, nameof(options));
        _csv = new CsvConfiguration(CultureInfo.InvariantCulture) { HasHeaderRecord = false };
    }

    /// <summary>The options in force.</summary>
    public ManagemCsvImportOptions Options => _options;

    /// <summary>
    /// Writes <paramref name="drafts"/> into as many files as <see cref="ManagemCsvImportOptions.MaxRowsPerFile"/> needs,
    /// opening file <c>n</c> (0-based) with <paramref name="openFile"/> only when a row goes into it, and disposing it
    /// when full. Returns what went where and every rejected row.
    /// </summary>
    public async Task<CsvImportBuildResult> WriteAsync(IAsyncEnumerable<ListingDraft> drafts, Func<int, Stream> openFile, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(drafts);
        ArgumentNullException.ThrowIfNull(openFile);
        var files = new List<CsvImportFile>();
        var rejected = new List<CsvRowRejection>();
        var row = new string?[Columns.Count];
        CsvWriter? csv = null;
        long inputIndex = -1, rowsInFile = 0, firstIndex = 0, written = 0;
        try
        {
            await foreach (var draft in drafts.WithCancellation(cancellationToken).ConfigureAwait(false))
            {
                inputIndex++;
                if (!TryMap(draft, row, out var errors))
                {
                    rejected.Add(new CsvRowRejection(inputIndex, ListingDraftValidator.NormalizeReference(draft?.Reference), errors));
                    continue;
                }

                if (csv is null || rowsInFile == _options.MaxRowsPerFile)
                {
                    if (csv is not null)
                    {
                        files.Add(new CsvImportFile(files.Count, rowsInFile, firstIndex));
                        await csv.DisposeAsync().ConfigureAwait(false);
                    }

                    csv = Open(openFile(files.Count));
                    rowsInFile = 0;
                    firstIndex = inputIndex;
                }

                WriteRow(csv, row);
                await csv.NextRecordAsync().ConfigureAwait(false);
                rowsInFile++;
                written++;
            }

            if (csv is not null)
            {
                files.Add(new CsvImportFile(files.Count, rowsInFile, firstIndex));
                await csv.DisposeAsync().ConfigureAwait(false);
                csv = null;
            }
        }
        finally
        {
            if (csv is not null)
            {
                await csv.DisposeAsync().ConfigureAwait(false);
            }
        }

        return new CsvImportBuildResult(files, written, rejected);
    }

    /// <summary>
    /// Writes <paramref name="drafts"/> into one file on <paramref name="destination"/> (left open). Rows beyond
    /// <see cref="ManagemCsvImportOptions.MaxRowsPerFile"/> are rejected with rule <c>max-rows</c>; use the multi-file
    /// overload for more.
    /// </summary>
    public CsvImportBuildResult Write(IEnumerable<ListingDraft> drafts, Stream destination)
    {
        ArgumentNullException.ThrowIfNull(drafts);
        ArgumentNullException.ThrowIfNull(destination);
        var rejected = new List<CsvRowRejection>();
        var row = new string?[Columns.Count];
        long inputIndex = -1, written = 0;
        using (var csv = Open(destination, leaveOpen: true))
        {
            foreach (var draft in drafts)
            {
                inputIndex++;
                if (!TryMap(draft, row, out var errors))
                {
                    rejected.Add(new CsvRowRejection(inputIndex, ListingDraftValidator.NormalizeReference(draft?.Reference), errors));
                    continue;
                }

                if (written == _options.MaxRowsPerFile)
                {
                    rejected.Add(new CsvRowRejection(inputIndex, ListingDraftValidator.NormalizeReference(draft.Reference), [new FieldError("file", "max-rows", $"the file already holds {_options.MaxRowsPerFile:N0} rows; split into several files")]));
                    continue;
                }

                WriteRow(csv, row);
                csv.NextRecord();
                written++;
            }
        }

        return new CsvImportBuildResult(written == 0 && inputIndex < 0 ? [] : [new CsvImportFile(0, written, 0)], written, rejected);
    }

    /// <summary>Checks one draft as a row of this file; empty when it would be written.</summary>
    public IReadOnlyList<FieldError> Validate(ListingDraft draft)
    {
        ArgumentNullException.ThrowIfNull(draft);
        return TryMap(draft, new string?[Columns.Count], out var errors) ? [] : errors;
    }

    private CsvWriter Open(Stream stream, bool leaveOpen = false)
    {
        var writer = new StreamWriter(stream, Utf8NoBom, bufferSize: 64 * 1024, leaveOpen);
        var csv = new CsvWriter(writer, _csv, leaveOpen: false);
        foreach (var column in Columns)
        {
            csv.WriteField(column, shouldQuote: false);
        }

        csv.NextRecord();
        return csv;
    }

    private static void WriteRow(CsvWriter csv, string?[] row)
    {
        // Fixed-vocabulary and numeric columns never need quotes; free text lets CsvHelper decide.
        csv.WriteField(row[0], shouldQuote: false); // MODE
        csv.WriteField(row[1]); // URN
        csv.WriteField(row[2]); // GAME
        csv.WriteField(row[3]); // SET
        csv.WriteField(row[4]); // NAME
        csv.WriteField(row[5], shouldQuote: false); // CARDMARKET_ID
        csv.WriteField(row[6], shouldQuote: false); // TCGPLAYER_ID
        csv.WriteField(row[7]); // CONDITION
        csv.WriteField(row[8], shouldQuote: false); // PRICE
        csv.WriteField(row[9], shouldQuote: false); // QUANTITY
        csv.WriteField(row[10]); // VARIANTS
        csv.WriteField(row[11], shouldQuote: false); // HIDDEN
        csv.WriteField(row[12]); // COMMENT
        csv.WriteField(row[13]); // NOTES
        csv.WriteField(row[14]); // REFERENCE
    }

    private bool TryMap(ListingDraft? draft, string?[] row, out IReadOnlyList<FieldError> errors)
    {
        if (draft is null)
        {
            errors = [new FieldError("draft", "required", "must not be null")];
            return false;
        }

        var common = ListingDraftValidator.Validate(draft);
        List<FieldError>? more = null;

        var item = draft.Item;
        var kind = item?.BestKind ?? ItemIdentityKind.None;
        if (kind is ItemIdentityKind.Sku or ItemIdentityKind.Gtin)
        {
            Add(ref more, common, "item", "identity-not-importable", "a Managem import row needs a URN, a Cardmarket id, a TCGplayer id or game + set + name (a SKU or GTIN is not a Managem identity)");
        }

        if (item?.Urn is { } urn && !ManagemValidator.IsCanonicalUrn(urn))
        {
            Add(ref more, common, "item.urn", "urn-format", $"must start with 'urn:managem:', be lower-case and not end with '/' (was '{urn}')");
        }

        if (draft.Price.Currency is { } currency && draft.Price.Amount >= 0)
        {
            if (!string.Equals(currency, _options.Currency, StringComparison.Ordinal))
            {
                Add(ref more, common, "price.currency", "currency", $"must be the account currency {_options.Currency} (was {currency}); the SDK does not convert currencies");
            }
            else if (!ManagemMapper.FitsMinorUnits(draft.Price.Amount, _options.CurrencyDecimals))
            {
                Add(ref more, common, "price", "precision", $"must be a whole number of minor units ({_options.CurrencyDecimals} decimal places; was {draft.Price.Amount})");
            }
        }

        if (draft.Language is { Length: > 0 } language && !string.Equals(language, _options.Language, StringComparison.OrdinalIgnoreCase))
        {
            Add(ref more, common, "language", "not-importable", $"the import file has no language column and imports as {_options.Language} (was {language}); list it through the API instead");
        }

        if (draft.Grading is not null)
        {
            Add(ref more, common, "grading", "not-importable", "graded listings need an attachment, which an import cannot carry; list them through the API instead");
        }

        var separator = _options.VariantSeparator;
        if (draft.Variants is { Count: > 0 } variants && ContainsSeparator(variants, separator))
        {
            Add(ref more, common, "variants", "separator", $"a variant id contains the separator '{separator}'");
        }

        if (more is not null || common.Count > 0)
        {
            errors = more ?? common;
            return false;
        }

        row[0] = _options.Mode.Value;
        row[1] = null;
        row[2] = null;
        row[3] = null;
        row[4] = null;
        row[5] = null;
        row[6] = null;
        switch (kind)
        {
            case ItemIdentityKind.Urn:
                row[1] = item!.Urn;
                break;
            case ItemIdentityKind.CardmarketId:
                row[5] = item!.CardmarketId!.Value.ToString(CultureInfo.InvariantCulture);
                break;
            case ItemIdentityKind.TcgplayerId:
                row[6] = item!.TcgplayerId!.Value.ToString(CultureInfo.InvariantCulture);
                break;
            default:
                row[2] = Text(item!.Game);
                row[3] = Text(item.Set);
                row[4] = Text(item.Name);
                break;
        }

        row[7] = draft.Condition.Code;
        row[8] = ManagemMapper.ToMinorUnits(draft.Price.Amount, _options.CurrencyDecimals).ToString(CultureInfo.InvariantCulture);
        row[9] = draft.Quantity < SmallNumbers.Length ? SmallNumbers[draft.Quantity] : draft.Quantity.ToString(CultureInfo.InvariantCulture);
        row[10] = draft.Variants.Count == 0 ? null : Text(string.Join(separator, draft.Variants));
        row[11] = draft.Visibility == ListingVisibility.Hidden ? "true" : "false";
        row[12] = Text(draft.Comment);
        row[13] = Text(draft.Notes);
        row[14] = ListingDraftValidator.NormalizeReference(draft.Reference);
        errors = [];
        return true;
    }

    // Not a local function: a capturing one would allocate a closure per row.
    private static void Add(ref List<FieldError>? errors, IReadOnlyList<FieldError> common, string field, string rule, string message) =>
        (errors ??= [.. common]).Add(new FieldError(field, rule, message));

    private static bool ContainsSeparator(IReadOnlyList<string> variants, string separator)
    {
        for (var i = 0; i < variants.Count; i++)
        {
            if (variants[i] is { } variant && variant.Contains(separator, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Free text as written: a value a spreadsheet would run as a formula (starting with <c>=</c>, <c>+</c>, <c>-</c>,
    /// <c>@</c>, tab or carriage return) gets a leading apostrophe (OWASP's advice for CSV injection).
    /// </summary>
    internal static string? Text(string? value) =>
        value is { Length: > 0 } && value[0] is '=' or '+' or '-' or '@' or '\t' or '\r' ? "'" + value : value;
}

/// <summary>How a <see cref="ManagemCsvImportBuilder"/> writes files.</summary>
public sealed class ManagemCsvImportOptions
{
    /// <summary>The MODE column for every row. Default <see cref="ManagemImportMode.Create"/>.</summary>
    public ManagemImportMode Mode { get; set; } = ManagemImportMode.Create;

    /// <summary>Rows per file before a new file starts: 1..2,000,000 (Managem's limit). Default 2,000,000.</summary>
    public int MaxRowsPerFile { get; set; } = ManagemCsvImportBuilder.MaxRowsPerFileLimit;

    /// <summary>The account currency; drafts in another currency are rejected. Default GBP.</summary>
    public string Currency { get; set; } = "GBP";

    /// <summary>Minor-unit digits of <see cref="Currency"/>. Default 2.</summary>
    public int CurrencyDecimals { get; set; } = 2;

    /// <summary>The language imported rows get (the file has no language column). Default English.</summary>
    public string Language { get; set; } = "English";

    /// <summary>Joins variant ids in the VARIANTS column. Default <c>|</c> (Managem does not publish one).</summary>
    public string VariantSeparator { get; set; } = "|";

    /// <summary>
    /// Where import jobs write their files while they run (they hold the seller's inventory): one sub-folder per run,
    /// readable by the current user only, deleted when the run ends; what a killed run left is deleted by the next run.
    /// Default <c>{temp}/listingsync-imports</c>.
    /// </summary>
    public string? WorkingDirectory { get; set; }
}

/// <summary>
/// The MODE column. Managem does not publish the allowed values, so this is an open set: the known members below,
/// or any spelling via the constructor.
/// </summary>
/// <param name="Value">The value written.</param>
public readonly record struct ManagemImportMode(string Value)
{
    /// <summary>Create new listings.</summary>
    public static ManagemImportMode Create { get; } = new("create");

    /// <summary>Update existing listings.</summary>
    public static ManagemImportMode Update { get; } = new("update");

    /// <summary>Create or update.</summary>
    public static ManagemImportMode Upsert { get; } = new("upsert");

    /// <summary>Delete listings.</summary>
    public static ManagemImportMode Delete { get; } = new("delete");

    /// <inheritdoc />
    public override string ToString() => Value;
}

/// <summary>What a build wrote and rejected.</summary>
/// <param name="Files">Each file written, in order.</param>
/// <param name="RowsWritten">Rows written across all files.</param>
/// <param name="Rejected">Rows not written, each with its reasons.</param>
public sealed record CsvImportBuildResult(IReadOnlyList<CsvImportFile> Files, long RowsWritten, IReadOnlyList<CsvRowRejection> Rejected);

/// <summary>One file of a build.</summary>
/// <param name="Index">0-based file number.</param>
/// <param name="Rows">Data rows in it (the header not counted).</param>
/// <param name="FirstInputIndex">The input position of its first row.</param>
public sealed record CsvImportFile(int Index, long Rows, long FirstInputIndex);

/// <summary>A draft that was not written.</summary>
/// <param name="InputIndex">Its 0-based position in the input.</param>
/// <param name="Reference">Its reference, trimmed, when it had one.</param>
/// <param name="Errors">Every rule it broke, naming the field.</param>
public sealed record CsvRowRejection(long InputIndex, string? Reference, IReadOnlyList<FieldError> Errors);
