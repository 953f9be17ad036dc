using ListingSync.Sdk.Model;
using Microsoft.Extensions.Options;

namespace ListingSync.Sdk.Channels.Managem;

/// <summary>Checks <see cref="ManagemClientOptions"/> at start-up; each message names the key and a good value.</summary>
internal sealed class ManagemClientOptionsValidator : IValidateOptions<ManagemClientOptions>
{
    public ValidateOptionsResult Validate(string? name, ManagemClientOptions options)
    {
        const string Section = ManagemClientOptions.DefaultSection;
        var failures = new List<string>();
        if (options.BaseAddress is not { IsAbsoluteUri: true } address || (address.Scheme != Uri.UriSchemeHttps && address.Scheme != Uri.UriSchemeHttp))
        {
            failures.Add($"{Section}:BaseAddress must be an absolute http(s) URL, e.g. {ManagemClientOptions.ProductionBaseAddress} (was '{options.BaseAddress}').");
        }

        if (!Money.IsCurrencyCode(options.Currency))
        {
            failures.Add($"{Section}:Currency must be an ISO 4217 code such as GBP (was '{options.Currency}').");
        }

        if (options.CurrencyDecimals is < 0 or > 4)
        {
            failures.Add($"{Section}:CurrencyDecimals must be between 0 and 4, e.g. 2 for pence (was {options.CurrencyDecimals}).");
        }

        if (options.BulkBatchSize is < 1 or > 200)
        {
            failures.Add($"{Section}:BulkBatchSize must be between 1 and 200 (was {options.BulkBatchSize}).");
        }

        var r = options.Resilience;
        if (r is null)
        {
            failures.Add($"{Section}:Resilience must be set.");
        }
        else
        {
            if (r.MaxRetryAttempts is < 0 or > 20)
            {
                failures.Add($"{Section}:Resilience:MaxRetryAttempts must be between 0 and 20 (was {r.MaxRetryAttempts}).");
            }

            if (r.AttemptTimeout < TimeSpan.FromMilliseconds(10) || r.TotalTimeout < TimeSpan.FromMilliseconds(10))
            {
                failures.Add($"{Section}:Resilience:AttemptTimeout and TotalTimeout must be at least 00:00:00.010.");
            }

            if (r.AttemptTimeout > r.TotalTimeout)
            {
                failures.Add($"{Section}:Resilience:AttemptTimeout ({r.AttemptTimeout}) must not exceed TotalTimeout ({r.TotalTimeout}).");
            }

            if (r.BaseDelay <= TimeSpan.Zero || r.MaxDelay < r.BaseDelay)
            {
                failures.Add($"{Section}:Resilience:BaseDelay must be positive and not above MaxDelay, e.g. 00:00:00.500 and 00:00:30.");
            }
        }

        var l = options.RateLimit;
        if (l is null)
        {
            failures.Add($"{Section}:RateLimit must be set.");
        }
        else if (l.Enabled && (!(l.PermitsPerSecond > 0) || l.Burst < 1 || l.QueueLimit < 0))
        {
            failures.Add($"{Section}:RateLimit needs PermitsPerSecond > 0 (e.g. 10), Burst >= 1 and QueueLimit >= 0 (was {l.PermitsPerSecond}/{l.Burst}/{l.QueueLimit}).");
        }

        foreach (var (seller, credentials) in options.Sellers)
        {
            if (credentials is null || (string.IsNullOrWhiteSpace(credentials.AccessToken) && string.IsNullOrWhiteSpace(credentials.ApiKey)))
            {
                failures.Add($"{Section}:Sellers:{seller} needs an AccessToken or an ApiKey.");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
