using System.Globalization;
using System.Net.Http.Json;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using ListingSync.Sdk.Channels.Managem.Wire;
using ListingSync.Sdk.Http;
using ListingSync.Sdk.Model;
using ListingSync.Sdk.Telemetry;
using ListingSync.Sdk.Validation;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace ListingSync.Sdk.Channels.Managem;

/// <summary>CSV import jobs: upload, get, list, pause, resume, terminate, row errors.</summary>
/// <remarks>
/// Reached through <see cref="ManagemClient"/> (<c>client.Imports</c>); shares its HTTP pipeline (resilience, rate limit,
/// credentials). Members are virtual and the protected constructor exists so tests can substitute it.
/// </remarks>
public class ManagemImportsClient : ManagemSubClient
{
    internal ManagemImportsClient(ChannelHttp http, IOptionsMonitor<ManagemClientOptions> options, ILogger logger)
        : base(http, options, logger)
    {
    }

    /// <summary>For mocking frameworks and test doubles only.</summary>
    protected ManagemImportsClient()
    {
    }


    /// <summary>
    /// Uploads a CSV import file (<c>multipart/form-data</c>, field <c>file</c>). The stream is sent as it is read,
    /// never buffered whole, and the call is never repeated (a repeat would import twice). A seekable file's header is
    /// checked first, so a wrong header or column order fails before anything is sent.
    /// </summary>
    /// <exception cref="ListingSyncValidationException">The header is not exactly <see cref="ManagemCsvImportBuilder.Header"/>.</exception>
    public virtual async Task<ManagemImport> CreateAsync(SellerScope seller, Stream csv, string fileName = "listings.csv", CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(csv);
        ArgumentException.ThrowIfNullOrWhiteSpace(fileName);
        if (csv.CanSeek && ReadHeader(csv) is { } header && !string.Equals(header, ManagemCsvImportBuilder.Header, StringComparison.Ordinal))
        {
            throw new ListingSyncValidationException([new FieldError("file", "header", $"the header must be exactly {ManagemCsvImportBuilder.Header} (found {header}); nothing was uploaded")]);
        }

        var content = new MultipartFormDataContent();
        var file = new StreamContent(csv);
        file.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("text/csv");
        content.Add(file, "file", fileName);
        return (await _http.SendAsync(ChannelHttp.Request(HttpMethod.Post, "seller/imports", "imports.create", seller, idempotent: false, content, replayable: false), Json.ManagemImport, cancellationToken).ConfigureAwait(false))!;
    }

    /// <summary>The first line of a seekable file (without a UTF-8 BOM), leaving the position where it was; null when unreadable.</summary>
    private static string? ReadHeader(Stream csv)
    {
        var start = csv.Position;
        try
        {
            var buffer = new byte[4096];
            var read = csv.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false);
            var span = buffer.AsSpan(0, read);
            if (span.StartsWith("\uFEFF"u8))
            {
                span = span[3..];
            }

            var end = span.IndexOfAny((byte)'\r', (byte)'\n');
            return end < 0 && read == buffer.Length ? null : System.Text.Encoding.UTF8.GetString(end < 0 ? span : span[..end]);
        }
        finally
        {
            csv.Position = start;
        }
    }

    /// <summary>Reads an import's progress; null when it does not exist.</summary>
    public virtual Task<ManagemImport?> GetAsync(SellerScope seller, string importId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(importId);
        return _http.SendAsync(ChannelHttp.Request(HttpMethod.Get, $"seller/imports/{Uri.EscapeDataString(importId)}", "imports.get", seller, idempotent: true, subject: $"import {importId}"), Json.ManagemImport, cancellationToken, notFoundIsNull: true);
    }

    /// <summary>Lists the seller's imports, newest first.</summary>
    public virtual async Task<IReadOnlyList<ManagemImport>> ListAsync(SellerScope seller, CancellationToken cancellationToken = default) =>
        await _http.SendAsync(ChannelHttp.Request(HttpMethod.Get, "seller/imports", "imports.list", seller, idempotent: true), Json.ListManagemImport, cancellationToken).ConfigureAwait(false) ?? [];

    /// <summary>Pauses a running import. Idempotent.</summary>
    public virtual Task<ManagemImport> PauseAsync(SellerScope seller, string importId, CancellationToken cancellationToken = default) => ImportActionAsync(seller, importId, "pause", cancellationToken);

    /// <summary>Resumes a paused import. Idempotent.</summary>
    public virtual Task<ManagemImport> ResumeAsync(SellerScope seller, string importId, CancellationToken cancellationToken = default) => ImportActionAsync(seller, importId, "resume", cancellationToken);

    /// <summary>Stops an import for good. Idempotent.</summary>
    public virtual Task<ManagemImport> TerminateAsync(SellerScope seller, string importId, CancellationToken cancellationToken = default) => ImportActionAsync(seller, importId, "terminate", cancellationToken);

    /// <summary>The rows an import could not process, each quoting its CSV line.</summary>
    public virtual async Task<IReadOnlyList<ManagemImportError>> GetErrorsAsync(SellerScope seller, string importId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(importId);
        var response = await _http.SendAsync(ChannelHttp.Request(HttpMethod.Get, $"seller/imports/{Uri.EscapeDataString(importId)}/errors", "imports.errors", seller, idempotent: true, subject: $"import {importId}"), Json.WireImportErrors, cancellationToken).ConfigureAwait(false);
        return response?.Errors ?? [];
    }

    private async Task<ManagemImport> ImportActionAsync(SellerScope seller, string importId, string action, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(importId);
        return (await _http.SendAsync(ChannelHttp.Request(HttpMethod.Post, $"seller/imports/{Uri.EscapeDataString(importId)}/{action}", $"imports.{action}", seller, idempotent: true, subject: $"import {importId}"), Json.ManagemImport, cancellationToken).ConfigureAwait(false))!;
    }
}
