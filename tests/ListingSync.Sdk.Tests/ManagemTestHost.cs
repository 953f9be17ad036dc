using System.Text.Json;
using ListingSync.Sdk.Channels.Managem;
using ListingSync.Sdk.DependencyInjection;
using ListingSync.Sdk.Http;
using ListingSync.Sdk.Model;
using Microsoft.Extensions.DependencyInjection;
using RichardSzalay.MockHttp;

namespace ListingSync.Sdk.Tests;

/// <summary>Builds a Managem client the way a host does (DI), over a MockHttp handler.</summary>
internal sealed class ManagemTestHost : IDisposable
{
    public const string Base = "https://api.managem.test/";

    private readonly ServiceProvider _provider;

    public ManagemTestHost(HttpMessageHandler mock, Action<ManagemClientOptions>? configure = null, TimeProvider? time = null, ICredentialProvider? credentials = null)
    {
        var services = new ServiceCollection();
        if (time is not null)
        {
            services.AddSingleton(time);
        }

        if (credentials is not null)
        {
            services.AddSingleton(credentials);
        }

        services.AddListingSync().AddManagem(
            o =>
            {
                o.BaseAddress = new Uri(Base);
                o.AccessToken = "token-default";
                o.Resilience.UseJitter = false;
                o.RateLimit.Enabled = false;
                configure?.Invoke(o);
            },
            http => http.ConfigurePrimaryHttpMessageHandler(() => mock));
        _provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
    }

    public IServiceProvider Services => _provider;

    public ManagemClient Client => _provider.GetRequiredService<ManagemClient>();

    public ManagemChannel Channel => _provider.GetRequiredService<ManagemChannel>();

    public void Dispose() => _provider.Dispose();

    public static SellerScope Seller { get; } = SellerScope.Default;

    /// <summary>Re-indents a JSON body so approved files read well.</summary>
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public static string Pretty(string json) => JsonSerializer.Serialize(JsonDocument.Parse(json).RootElement, Indented);

    public static ListingDraft Draft(int i, string? urn = null, decimal price = 1.50m, int quantity = 1, string? reference = null) => new()
    {
        Reference = reference ?? $"sku-{i:D5}",
        Item = ItemIdentity.FromUrn(urn ?? $"urn:managem:pokemon:set/151/card/{i}"),
        Condition = ListingCondition.NearMint,
        Language = "English",
        Price = Money.Gbp(price),
        Quantity = quantity,
    };

    public static string ListingJson(string id, string urn, long price = 1299, int quantity = 2, string? reference = null, bool hidden = false) =>
        $$$"""
        {"id":"{{{id}}}","sellerId":"sel_1","condition":"NM","price":{{{price}}},"language":"English","quantity":{{{quantity}}},"available":{{{quantity}}},
         "variants":["holo"],"createdAt":"2026-03-01T12:00:00.000Z","updatedAt":"2026-03-02T12:00:00.000Z","valid":true,"hidden":{{{(hidden ? "true" : "false")}}},"locked":false,
         "reference":{{{(reference is null ? "null" : "\"" + reference + "\"")}}},
         "item":{"urn":"{{{urn}}}","type":"card","game":"Pokemon","name":"Pikachu","number":"58","set":{"name":"Base Set","urn":"urn:managem:pokemon:set/base1"}},
         "seller":{"id":"usr_789","username":"cardsmith"},"attachments":[]}
        """;
}
