using System.Net.Http.Json;
using System.Text.Json.Serialization;
using ListingSync.Sdk.Http;
using ListingSync.Sdk.Model;
using Microsoft.Extensions.Options;

namespace ListingSync.Sdk.Channels.Jtl;

/// <summary>
/// Exchanges the refresh token for a session token (<c>POST /v1/auth</c>, form field <c>refreshToken</c>), caches it
/// and renews it <see cref="JtlClientOptions.RenewBefore"/> its expiry. Thread-safe: however many calls need a token at
/// once, one refresh is made and they all wait for it.
/// </summary>
public sealed class JtlTokenProvider : ICredentialProvider, IDisposable
{
    /// <summary>The named <see cref="HttpClient"/> the refresh uses (no auth handler on it).</summary>
    public const string AuthClientName = "ListingSync.Jtl.Auth";

    private readonly IHttpClientFactory _clients;
    private readonly IOptionsMonitor<JtlClientOptions> _options;
    private readonly TimeProvider _time;
    private readonly SemaphoreSlim _refresh = new(1, 1);
    private volatile Session? _session;
    private int _refreshes;

    /// <summary>Creates the provider.</summary>
    public JtlTokenProvider(IHttpClientFactory clients, IOptionsMonitor<JtlClientOptions> options, TimeProvider? timeProvider = null)
    {
        _clients = clients ?? throw new ArgumentNullException(nameof(clients));
        _options = options ?? throw new ArgumentNullException(nameof(options));
        _time = timeProvider ?? TimeProvider.System;
    }

    /// <summary>How many refreshes this provider has made.</summary>
    public int RefreshCount => Volatile.Read(ref _refreshes);

    /// <summary>When the cached token expires (null before the first refresh).</summary>
    public DateTimeOffset? ExpiresAt => _session?.ExpiresAt;

    /// <inheritdoc />
    public async ValueTask<ChannelCredential?> GetCredentialAsync(string channel, SellerScope seller, CancellationToken cancellationToken = default)
    {
        if (!string.Equals(channel, JtlClientOptions.ChannelName, StringComparison.Ordinal))
        {
            return null;
        }

        return ChannelCredential.Bearer(await GetTokenAsync(cancellationToken).ConfigureAwait(false));
    }

    /// <summary>A session token valid for at least <see cref="JtlClientOptions.RenewBefore"/>, refreshed when needed.</summary>
    public async ValueTask<string> GetTokenAsync(CancellationToken cancellationToken = default)
    {
        if (Fresh(_session) is { } token)
        {
            return token;
        }

        await _refresh.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            // Whoever waited here while another caller refreshed finds the new token and goes.
            if (Fresh(_session) is { } refreshed)
            {
                return refreshed;
            }

            var session = await RefreshAsync(cancellationToken).ConfigureAwait(false);
            _session = session;
            return session.Token;
        }
        finally
        {
            _refresh.Release();
        }
    }

    /// <inheritdoc />
    public void Dispose() => _refresh.Dispose();

    /// <summary>Forgets the cached token (after a 401, say), so the next call refreshes.</summary>
    public void Invalidate() => _session = null;

    private string? Fresh(Session? session) =>
        session is not null && _time.GetUtcNow() < session.ExpiresAt - _options.CurrentValue.RenewBefore ? session.Token : null;

    private async Task<Session> RefreshAsync(CancellationToken cancellationToken)
    {
        var options = _options.CurrentValue;
        if (string.IsNullOrWhiteSpace(options.RefreshToken))
        {
            throw new ListingSyncException($"No JTL refresh token: set {JtlClientOptions.DefaultSection}:RefreshToken.");
        }

        var client = _clients.CreateClient(AuthClientName);
        var address = new Uri(options.BaseAddress ?? JtlClientOptions.ProductionBaseAddress, "v1/auth");
        using var request = new HttpRequestMessage(HttpMethod.Post, address)
        {
            Content = new FormUrlEncodedContent([new KeyValuePair<string, string>("refreshToken", options.RefreshToken)]),
        };
        request.Headers.AcceptLanguage.ParseAdd("en");
        using var response = await client.SendAsync(request, cancellationToken).ConfigureAwait(false);
        var raw = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            var error = JtlClient.ParseError(raw);
            throw new ListingSyncRequestException($"JTL refused the refresh token ({(int)response.StatusCode}): {error.Message ?? raw}")
            {
                Channel = JtlClientOptions.ChannelName,
                StatusCode = response.StatusCode,
                ErrorCode = error.Code,
                ErrorMessage = error.Message,
                RawBody = raw,
            };
        }

        var answer = System.Text.Json.JsonSerializer.Deserialize(raw, JtlJson.Default.JtlAuthResponse)
            ?? throw new ListingSyncRequestException("JTL's auth answer was empty.") { Channel = JtlClientOptions.ChannelName, StatusCode = response.StatusCode };
        if (string.IsNullOrEmpty(answer.AuthToken))
        {
            throw new ListingSyncRequestException("JTL's auth answer has no authToken.") { Channel = JtlClientOptions.ChannelName, StatusCode = response.StatusCode };
        }

        Interlocked.Increment(ref _refreshes);
        // expiresIn counts from now on our own clock, so clock skew with JTL cannot make a token look fresh when it
        // is not (or stale when it is fresh); the absolute tokenExpireAt is the fallback.
        var expiresAt = answer.ExpiresIn is > 0
            ? _time.GetUtcNow() + TimeSpan.FromSeconds(answer.ExpiresIn.Value)
            : answer.TokenExpireAt ?? _time.GetUtcNow() + TimeSpan.FromSeconds(3600);
        return new Session(answer.AuthToken, expiresAt);
    }

    private sealed record Session(string Token, DateTimeOffset ExpiresAt);
}

/// <summary>The answer of <c>POST /v1/auth</c>.</summary>
internal sealed record JtlAuthResponse
{
    [JsonPropertyName("authToken")]
    public string? AuthToken { get; init; }

    [JsonPropertyName("tokenExpireAt")]
    public DateTimeOffset? TokenExpireAt { get; init; }

    [JsonPropertyName("expiresIn")]
    public long? ExpiresIn { get; init; }
}
