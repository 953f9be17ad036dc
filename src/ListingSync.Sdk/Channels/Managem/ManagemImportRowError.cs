using System.Globalization;
using CsvHelper;
using CsvHelper.Configuration;

namespace ListingSync.Sdk.Channels.Managem;

/// <summary>
/// One row a Managem import could not import, read back from the row-error report: the quoted line parsed into its
/// columns, so the row's <see cref="Reference"/> (and through it the host product) is known.
/// </summary>
public sealed record ManagemImportRowError
{
    /// <summary>The import job.</summary>
    public required string JobId { get; init; }

    /// <summary>The error's code (HTTP-like: 400 bad value, 404 unknown item or listing, 409 conflict).</summary>
    public string? Code { get; init; }

    /// <summary>Managem's message.</summary>
    public required string Message { get; init; }

    /// <summary>The row's record number in the file (the header is 1), when the message names it.</summary>
    public long? RowNumber { get; init; }

    /// <summary>
    /// True when sending the row again can succeed: a conflict (409), a limit (429) or a server error (5xx). A bad value
    /// (400) or an unknown item or listing (404) fails the same way again until the row is changed; an error without a
    /// code is not retried blindly.
    /// </summary>
    public bool IsRetryable => Code is "408" or "409" or "429" || (Code is { Length: 3 } code && code[0] == '5' && char.IsAsciiDigit(code[1]) && char.IsAsciiDigit(code[2]));

    /// <summary>The original CSV line as Managem quoted it.</summary>
    public string? Line { get; init; }

    /// <summary>The line's columns in header order; empty when the line could not be read.</summary>
    public IReadOnlyList<string> Fields { get; init; } = [];

    /// <summary>The REFERENCE column: which host product the row was.</summary>
    public string? Reference => Field(14) is { Length: > 0 } reference ? reference : null;

    /// <summary>The URN column.</summary>
    public string? Urn => Field(1) is { Length: > 0 } urn ? urn : null;

    /// <summary>A column by name (see <see cref="ManagemCsvImportBuilder.Columns"/>), or null.</summary>
    public string? this[string column] => Array.IndexOf(ColumnNames, column) is var index and >= 0 ? Field(index) : null;

    private static readonly string[] ColumnNames = [.. ManagemCsvImportBuilder.Columns];

    private string? Field(int index) => index < Fields.Count ? Fields[index] : null;

    /// <summary>Reads a job's issues (from <see cref="IImportJobChannel.GetImportIssuesAsync"/>) into typed row errors.</summary>
    public static IReadOnlyList<ManagemImportRowError> Read(string jobId, IEnumerable<ImportJobIssue> issues)
    {
        ArgumentNullException.ThrowIfNull(issues);
        var configuration = new CsvConfiguration(CultureInfo.InvariantCulture) { HasHeaderRecord = false, BadDataFound = null };
        var errors = new List<ManagemImportRowError>();
        foreach (var issue in issues)
        {
            string[] fields = [];
            if (!string.IsNullOrEmpty(issue.Line))
            {
                using var reader = new StringReader(issue.Line);
                using var parser = new CsvParser(reader, configuration);
                if (parser.Read())
                {
                    fields = parser.Record ?? [];
                }
            }

            errors.Add(new ManagemImportRowError
            {
                JobId = jobId,
                Code = issue.Code,
                Message = issue.Message,
                RowNumber = RowOf(issue.Message),
                Line = issue.Line,
                Fields = fields,
            });
        }

        return errors;
    }

    /// <summary>"line 12: ..." → 12.</summary>
    private static long? RowOf(string message) =>
        message.StartsWith("line ", StringComparison.OrdinalIgnoreCase) && message.IndexOf(':', StringComparison.Ordinal) is var colon and > 5
        && long.TryParse(message.AsSpan(5, colon - 5), NumberStyles.None, CultureInfo.InvariantCulture, out var row)
            ? row
            : null;

    /// <inheritdoc />
    public override string ToString() => $"{Reference ?? Urn ?? "(row " + RowNumber + ")"}: {Code} {Message}";
}
