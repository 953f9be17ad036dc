using Microsoft.Extensions.DependencyInjection;

namespace ListingSync.Sdk.Channels.Instica;

/// <summary>
/// Makes the <see cref="InsticaChannel"/> of each platform (<c>instica:ebay</c>, <c>instica:discogs</c>, …). Channels
/// from one factory share what Instica said about missing prerequisites, so a refusal is remembered across them.
/// </summary>
public sealed class InsticaChannels
{
    private readonly IServiceProvider _services;
    private readonly InsticaPrerequisiteMemory _memory = new();

    /// <summary>Creates the factory (registered as a singleton by <c>AddInstica</c>).</summary>
    public InsticaChannels(IServiceProvider services) => _services = services ?? throw new ArgumentNullException(nameof(services));

    /// <summary>The channel of <paramref name="platform"/> (a slug such as <c>ebay</c>).</summary>
    public InsticaChannel For(string platform) => new(_services.GetRequiredService<InsticaClient>(), platform, _memory);
}
