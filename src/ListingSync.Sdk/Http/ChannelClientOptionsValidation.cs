using ListingSync.Sdk.DependencyInjection;

namespace ListingSync.Sdk.Http;

/// <summary>The start-up checks every channel's options share: base address, resilience, rate limit, per-seller credentials.</summary>
internal static class ChannelClientOptionsValidation
{
    public static void Validate<TOptions>(TOptions options, ChannelOptionsSection<TOptions> section, List<string> failures)
        where TOptions : ChannelClientOptions
    {
        if (options.BaseAddress is not { IsAbsoluteUri: true } address || (address.Scheme != Uri.UriSchemeHttps && address.Scheme != Uri.UriSchemeHttp))
        {
            failures.Add($"{section.Path}:BaseAddress must be an absolute http(s) URL, e.g. https://api.example.com/ (was '{options.BaseAddress}').");
        }

        if (options.MaxResponseBytes is < 1024 or > int.MaxValue)
        {
            failures.Add($"{section.Path}:MaxResponseBytes must be between 1024 and {int.MaxValue} bytes, e.g. 33554432 (32 MB) (was {options.MaxResponseBytes}).");
        }

        var r = options.Resilience;
        if (r is null)
        {
            failures.Add($"{section.Path}:Resilience must be set.");
        }
        else
        {
            if (r.MaxRetryAttempts is < 0 or > 20)
            {
                failures.Add($"{section.Path}:Resilience:MaxRetryAttempts must be between 0 and 20 (was {r.MaxRetryAttempts}).");
            }

            if (r.AttemptTimeout < TimeSpan.FromMilliseconds(10) || r.TotalTimeout < TimeSpan.FromMilliseconds(10))
            {
                failures.Add($"{section.Path}:Resilience:AttemptTimeout and TotalTimeout must be at least 00:00:00.010.");
            }

            if (r.AttemptTimeout > r.TotalTimeout)
            {
                failures.Add($"{section.Path}:Resilience:AttemptTimeout ({r.AttemptTimeout}) must not exceed TotalTimeout ({r.TotalTimeout}).");
            }

            if (r.BaseDelay <= TimeSpan.Zero || r.MaxDelay < r.BaseDelay)
            {
                failures.Add($"{section.Path}:Resilience:BaseDelay must be positive and not above MaxDelay, e.g. 00:00:00.500 and 00:00:30.");
            }
        }

        var l = options.RateLimit;
        if (l is null)
        {
            failures.Add($"{section.Path}:RateLimit must be set.");
        }
        else if (l.Enabled && (!(l.PermitsPerSecond > 0) || l.Burst < 1 || l.QueueLimit < 0))
        {
            failures.Add($"{section.Path}:RateLimit needs PermitsPerSecond > 0 (e.g. 10), Burst >= 1 and QueueLimit >= 0 (was {l.PermitsPerSecond}/{l.Burst}/{l.QueueLimit}).");
        }

        foreach (var (seller, credentials) in options.Sellers)
        {
            if (credentials is null || (string.IsNullOrWhiteSpace(credentials.AccessToken) && string.IsNullOrWhiteSpace(credentials.ApiKey)))
            {
                failures.Add($"{section.Path}:Sellers:{seller} needs an AccessToken or an ApiKey.");
            }
        }

    }
}
