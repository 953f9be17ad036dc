namespace ListingSync.Sdk.Http;

/// <summary>
/// A credential for one seller on one channel: an <c>Authorization</c> scheme and token.
/// <see cref="ToString"/> never prints the token.
/// </summary>
/// <param name="Scheme">The authorization scheme, e.g. <c>Bearer</c> or <c>ApiKey</c>.</param>
/// <param name="Token">The secret token.</param>
public sealed record ChannelCredential(string Scheme, string Token)
{
    /// <summary>An OAuth-style bearer token (calls on behalf of a connected seller).</summary>
    public static ChannelCredential Bearer(string token) => new("Bearer", token);

    /// <summary>A personal access token (<c>Authorization: ApiKey &lt;token&gt;</c>), for automation.</summary>
    public static ChannelCredential ApiKey(string token) => new("ApiKey", token);

    /// <inheritdoc />
    public override string ToString() => $"{Scheme} ***";
}
