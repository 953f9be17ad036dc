using System.Buffers;
using ListingSync.Sdk.Model;
using ListingSync.Sdk.Webhooks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Microsoft.AspNetCore.Builder;

/// <summary>Maps ListingSync's webhook endpoints.</summary>
public static class ListingSyncEndpointRouteBuilderExtensions
{
    /// <summary>
    /// Maps <c>POST <paramref name="pattern"/></c> as the webhook endpoint of <paramref name="channel"/>. The raw body is
    /// read with a cap (<see cref="WebhookOptions.MaxBodyBytes"/>; 413 above it), verified (401 when the signature,
    /// timestamp or headers fail, or no secret is configured), read (400 with the reason when malformed) and queued in the
    /// inbox (200; a duplicate delivery is also answered 200 and changes nothing). Handlers run afterwards on the
    /// <see cref="ListingEventWorker"/>, so a slow handler never makes the marketplace retry. The seller is the
    /// <c>{seller}</c> route value when the pattern has one, else <paramref name="seller"/>, else <see cref="SellerScope.Default"/>.
    /// Requires <c>services.AddListingSync().AddWebhooks()</c>.
    /// </summary>
    public static IEndpointConventionBuilder MapListingSyncWebhooks(this IEndpointRouteBuilder endpoints, string pattern, string channel = "managem", SellerScope? seller = null)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentException.ThrowIfNullOrWhiteSpace(pattern);
        ArgumentException.ThrowIfNullOrWhiteSpace(channel);
        var fixedSeller = seller ?? SellerScope.Default;
        if (endpoints.ServiceProvider.GetService<IServiceProviderIsService>() is { } registered && !registered.IsService(typeof(WebhookReceiver)))
        {
            // Caught when mapping, not as a 500 with an empty body on every delivery.
            throw new InvalidOperationException(
                $"MapListingSyncWebhooks(\"{pattern}\") needs the webhook services: add .AddWebhooks() to services.AddListingSync() (and a mapping store, e.g. .AddSqliteMappingStore(path)).");
        }

        return endpoints.MapPost(pattern, (HttpContext context) => HandleAsync(context, channel, fixedSeller))
            .WithDisplayName($"ListingSync webhooks ({channel})")
            .DisableAntiforgery();
    }

    private static async Task HandleAsync(HttpContext context, string channel, SellerScope fixedSeller)
    {
        var receiver = context.RequestServices.GetRequiredService<WebhookReceiver>();
        var max = receiver.Options.MaxBodyBytes;
        if (context.Request.ContentLength > max)
        {
            await WriteAsync(context, StatusCodes.Status413PayloadTooLarge, $"The body exceeds {max} bytes.").ConfigureAwait(false);
            return;
        }

        var seller = context.Request.RouteValues.TryGetValue("seller", out var routeSeller) && routeSeller is string { Length: > 0 } id
            ? new SellerScope(id)
            : fixedSeller;
        // Sizes in long: a cap of int.MaxValue ("no cap") must not overflow the buffer arithmetic.
        var buffer = ArrayPool<byte>.Shared.Rent((int)Math.Min(Math.Min(context.Request.ContentLength ?? 4096, max) + 1L, Array.MaxLength));
        try
        {
            var length = 0;
            while (true)
            {
                if (length == buffer.Length)
                {
                    if (buffer.Length >= Array.MaxLength)
                    {
                        await WriteAsync(context, StatusCodes.Status413PayloadTooLarge, $"The body exceeds {Array.MaxLength} bytes.").ConfigureAwait(false);
                        return;
                    }

                    var bigger = ArrayPool<byte>.Shared.Rent((int)Math.Min(Math.Min(buffer.Length * 2L, max + 1L), Array.MaxLength));
                    buffer.AsSpan(0, length).CopyTo(bigger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = bigger;
                }

                var read = await context.Request.Body.ReadAsync(buffer.AsMemory(length), context.RequestAborted).ConfigureAwait(false);
                if (read == 0)
                {
                    break;
                }

                length += read;
                if (length > max)
                {
                    await WriteAsync(context, StatusCodes.Status413PayloadTooLarge, $"The body exceeds {max} bytes.").ConfigureAwait(false);
                    return;
                }
            }

            var receipt = await receiver.ReceiveAsync(channel, seller, new WebhookHeaders(context.Request.Headers), buffer.AsMemory(0, length), context.RequestAborted).ConfigureAwait(false);
            switch (receipt.Status)
            {
                case WebhookReceiptStatus.Accepted:
                case WebhookReceiptStatus.Duplicate:
                    context.Response.StatusCode = StatusCodes.Status200OK;
                    break;
                case WebhookReceiptStatus.Unauthorized:
                    // The reason is logged, not returned: a caller without the secret learns nothing from the answer.
                    context.Response.StatusCode = StatusCodes.Status401Unauthorized;
                    break;
                case WebhookReceiptStatus.BadPayload:
                    await WriteAsync(context, StatusCodes.Status400BadRequest, receipt.Reason!).ConfigureAwait(false);
                    break;
                default:
                    await WriteAsync(context, StatusCodes.Status404NotFound, receipt.Reason!).ConfigureAwait(false);
                    break;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static Task WriteAsync(HttpContext context, int status, string detail) =>
        Results.Problem(detail: detail, statusCode: status).ExecuteAsync(context);
}
