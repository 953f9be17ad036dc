using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using ListingSync.Sdk.Webhooks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ListingSync.QuickStart;

/// <summary>
/// A loopback ASP.NET endpoint that receives Managem webhooks, checks their Standard Webhooks signature and
/// counts events by type. (The SDK's own endpoint, inbox and handlers arrive with the webhook work.)
/// </summary>
internal sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;

    private WebhookReceiver(WebApplication app, string url)
    {
        _app = app;
        Url = url;
    }

    public string Url { get; }

    public string? Secret { get; set; }

    public ConcurrentDictionary<string, int> Counts { get; } = new(StringComparer.Ordinal);

    public int Rejected;

    public static async Task<WebhookReceiver> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        builder.Logging.ClearProviders();
        var app = builder.Build();
        WebhookReceiver? receiver = null;
        app.MapPost("/webhooks/managem", async (HttpContext context) =>
        {
            using var buffer = new MemoryStream();
            await context.Request.Body.CopyToAsync(buffer, context.RequestAborted);
            var body = buffer.ToArray();
            if (receiver!.Secret is not { } secret || !Verified(secret, context.Request.Headers, body))
            {
                Interlocked.Increment(ref receiver.Rejected);
                return Results.Unauthorized();
            }

            using var json = JsonDocument.Parse(body);
            receiver.Counts.AddOrUpdate(json.RootElement.GetProperty("type").GetString() ?? "?", 1, (_, n) => n + 1);
            return Results.Ok();
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        receiver = new WebhookReceiver(app, address.TrimEnd('/') + "/webhooks/managem");
        return receiver;
    }

    private static bool Verified(string secret, IHeaderDictionary headers, byte[] body)
    {
        var id = headers[StandardWebhookSigner.IdHeader].ToString();
        if (!long.TryParse(headers[StandardWebhookSigner.TimestampHeader], out var seconds) || string.IsNullOrEmpty(id))
        {
            return false;
        }

        var expected = Encoding.ASCII.GetBytes(new StandardWebhookSigner(secret).Sign(id, DateTimeOffset.FromUnixTimeSeconds(seconds), body));
        return headers[StandardWebhookSigner.SignatureHeader].ToString().Split(' ')
            .Any(candidate => CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(candidate), expected));
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
