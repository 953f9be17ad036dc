using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using BenchmarkDotNet.Attributes;
using ListingSync.Sdk.Channels.Managem;
using ListingSync.Sdk.DependencyInjection;
using ListingSync.Sdk.Model;
using Microsoft.Extensions.DependencyInjection;

namespace ListingSync.Sdk.Benchmarks;

/// <summary>
/// One search-page call (50 listings) through the SDK — resilience pipeline, rate limiter, credentials,
/// source-generated JSON, mapping to the canonical model — against the same call written by hand with
/// HttpClient and System.Text.Json. Both talk to the same in-process handler serving a canned page.
/// Target: the SDK within 1.15x of the hand-written call in time and allocations.
/// </summary>
[MemoryDiagnoser]
public class SearchPageBenchmark
{
    private ServiceProvider _provider = null!;
    private ManagemClient _sdk = null!;
    private HttpClient _handWritten = null!;
    private readonly ManagemListingQuery _query = new() { PageSize = 50 };

    [GlobalSetup]
    public void Setup()
    {
        var page = CannedPage(50);
        var services = new ServiceCollection();
        services.AddListingSync().AddManagem(
            o =>
            {
                o.BaseAddress = new Uri("http://managem.bench/");
                o.AccessToken = "bench";
                o.RateLimit.PermitsPerSecond = 10_000_000;
                o.RateLimit.Burst = 10_000_000;
            },
            http => http.ConfigurePrimaryHttpMessageHandler(() => new CannedHandler(page)));
        _provider = services.BuildServiceProvider();
        _sdk = _provider.GetRequiredService<ManagemClient>();
        _handWritten = new HttpClient(new CannedHandler(page)) { BaseAddress = new Uri("http://managem.bench/") };
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _provider.Dispose();
        _handWritten.Dispose();
    }

    [Benchmark(Baseline = true)]
    public async Task<int> HandWritten()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "seller/listings/search")
        {
            Content = JsonContent.Create(new HandRequest { From = 0, Size = 50 }, HandJson.Default.HandRequest),
        };
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", "bench");
        using var response = await _handWritten.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        response.EnsureSuccessStatusCode();
        await using var stream = await response.Content.ReadAsStreamAsync();
        var page = await JsonSerializer.DeserializeAsync(stream, HandJson.Default.HandResponse);
        return page!.Hits.Count;
    }

    [Benchmark]
    public async Task<int> Sdk()
    {
        var page = await _sdk.Listings.GetPageAsync(SellerScope.Default, _query);
        return page.Items.Count;
    }

    internal static byte[] CannedPage(int count)
    {
        var hits = Enumerable.Range(0, count).Select(i => $$$"""
            {"id":"lst_{{{i}}}","sellerId":"sel_1","condition":"NM","price":{{{100 + i}}},"language":"English","quantity":{{{i % 5 + 1}}},"available":{{{i % 5 + 1}}},"variants":[],
             "createdAt":"2026-03-01T12:00:00.000Z","updatedAt":"2026-03-01T12:00:00.000Z","valid":true,"hidden":false,"locked":false,"reference":"sku-{{{i}}}",
             "item":{"urn":"urn:managem:pokemon:set/151/card/{{{i}}}","type":"card","game":"Pokemon","title":"Card {{{i}}}","name":"Card {{{i}}}","rarity":"Common","number":"{{{i}}}",
                     "set":{"name":"151","urn":"urn:managem:pokemon:set/151"}},
             "seller":{"id":"usr_1","username":"cardsmith"},"attachments":[]}
            """);
        return Encoding.UTF8.GetBytes($$"""{"total":{{count * 10}},"hits":[{{string.Join(",", hits)}}]}""");
    }

    private sealed class CannedHandler(byte[] body) : HttpMessageHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            // Both sides serialize their request body, as a real transport would.
            if (request.Content is not null)
            {
                await request.Content.CopyToAsync(Stream.Null, cancellationToken);
            }

            return new HttpResponseMessage(HttpStatusCode.OK) { Content = new ByteArrayContent(body) { Headers = { ContentType = new("application/json") } } };
        }
    }
}

// The hand-written side reads the same fields the SDK reads.
internal sealed class HandRequest
{
    public int From { get; set; }
    public int Size { get; set; }
}

internal sealed class HandResponse
{
    public long Total { get; set; }
    public List<HandListing> Hits { get; set; } = [];
}

internal sealed class HandListing
{
    public string Id { get; set; } = "";
    public string? SellerId { get; set; }
    public string? Condition { get; set; }
    public long Price { get; set; }
    public string? Language { get; set; }
    public int Quantity { get; set; }
    public int? Available { get; set; }
    public List<string>? Variants { get; set; }
    public DateTimeOffset? CreatedAt { get; set; }
    public DateTimeOffset? UpdatedAt { get; set; }
    public bool? Valid { get; set; }
    public bool? Hidden { get; set; }
    public bool? Locked { get; set; }
    public string? Reference { get; set; }
    public string? Comment { get; set; }
    public string? Notes { get; set; }
    public HandItem? Item { get; set; }
}

internal sealed class HandItem
{
    public string? Urn { get; set; }
    public string? Type { get; set; }
    public string? Game { get; set; }
    public string? Title { get; set; }
    public string? Name { get; set; }
    public string? Rarity { get; set; }
    public string? Number { get; set; }
    public HandSet? Set { get; set; }
}

internal sealed class HandSet
{
    public string? Name { get; set; }
    public string? Urn { get; set; }
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, PropertyNameCaseInsensitive = true)]
[JsonSerializable(typeof(HandRequest))]
[JsonSerializable(typeof(HandResponse))]
internal sealed partial class HandJson : JsonSerializerContext;
