namespace ListingSync.Sdk.DependencyInjection;

/// <summary>
/// The configuration section a channel's options were bound from (or its default section when configured by a
/// delegate), so that a start-up validation error names the key the host actually wrote, e.g.
/// <c>Shop:Marketplaces:Managem:BaseAddress</c>.
/// </summary>
/// <typeparam name="TOptions">The options type.</typeparam>
internal sealed class ChannelOptionsSection<TOptions>(string path)
{
    public string Path { get; } = path;

    /// <summary>The full key of <paramref name="key"/> within the section.</summary>
    public string Key(string key) => $"{Path}:{key}";
}
