using System.Net.Http.Headers;
using Microsoft.Extensions.Primitives;

namespace ListingSync.Sdk.Webhooks;

/// <summary>
/// The headers of a received webhook, looked up case-insensitively. ASP.NET Core's request headers are used as they
/// are (no copy); other sources are copied into a case-insensitive dictionary.
/// </summary>
public readonly struct WebhookHeaders
{
    private readonly IDictionary<string, StringValues>? _headers;

    /// <summary>
    /// Wraps <paramref name="headers"/>; copied when it is a case-sensitive <see cref="Dictionary{TKey, TValue}"/>, in which
    /// case one name in two spellings (the sender chooses the case) becomes one repeated header, as HTTP defines it.
    /// </summary>
    public WebhookHeaders(IDictionary<string, StringValues> headers)
    {
        ArgumentNullException.ThrowIfNull(headers);
        if (headers is Dictionary<string, StringValues> d && !ReferenceEquals(d.Comparer, StringComparer.OrdinalIgnoreCase))
        {
            var copy = new Dictionary<string, StringValues>(d.Count, StringComparer.OrdinalIgnoreCase);
            foreach (var (name, values) in d)
            {
                copy[name] = copy.TryGetValue(name, out var existing) ? StringValues.Concat(existing, values) : values;
            }

            _headers = copy;
        }
        else
        {
            _headers = headers;
        }
    }

    /// <summary>Headers from name/value pairs; a name given twice is kept twice (and rejected where it matters).</summary>
    public static WebhookHeaders From(IEnumerable<KeyValuePair<string, string>> headers)
    {
        ArgumentNullException.ThrowIfNull(headers);
        var copy = new Dictionary<string, StringValues>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, value) in headers)
        {
            copy[name] = copy.TryGetValue(name, out var existing) ? StringValues.Concat(existing, value) : new StringValues(value);
        }

        return new WebhookHeaders(copy);
    }

    /// <summary>Headers of an <see cref="HttpRequestMessage"/> or its content.</summary>
    public static WebhookHeaders From(HttpHeaders headers)
    {
        ArgumentNullException.ThrowIfNull(headers);
        var copy = new Dictionary<string, StringValues>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, values) in headers)
        {
            copy[name] = copy.TryGetValue(name, out var existing) ? StringValues.Concat(existing, new StringValues(values.ToArray())) : new StringValues(values.ToArray());
        }

        return new WebhookHeaders(copy);
    }

    /// <summary>Finds exactly one value of <paramref name="name"/>.</summary>
    internal HeaderLookup TryGetSingle(string name, out string value)
    {
        value = string.Empty;
        if (_headers is null || !_headers.TryGetValue(name, out var values) || values.Count == 0)
        {
            return HeaderLookup.Missing;
        }

        if (values.Count > 1)
        {
            return HeaderLookup.Repeated;
        }

        value = values[0] ?? string.Empty;
        return HeaderLookup.Found;
    }
}

/// <summary>The outcome of looking one header up.</summary>
internal enum HeaderLookup
{
    Found,
    Missing,
    Repeated,
}
