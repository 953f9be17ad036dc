using ListingSync.Sdk.DependencyInjection;
using ListingSync.Sdk.Http;
using Microsoft.Extensions.Options;

namespace ListingSync.Sdk.Channels.Jtl;

/// <summary>Checks <see cref="JtlClientOptions"/> at start-up; each message names the full key the host bound and a good value.</summary>
internal sealed class JtlClientOptionsValidator(ChannelOptionsSection<JtlClientOptions> section) : IValidateOptions<JtlClientOptions>
{
    public ValidateOptionsResult Validate(string? name, JtlClientOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (string.IsNullOrWhiteSpace(options.RefreshToken))
        {
            failures.Add($"{section.Key("RefreshToken")} is required: the channel's refresh token from JTL's channel registration.");
        }

        if (options.AcknowledgeVerb?.ToUpperInvariant() is not ("DELETE" or "PATCH"))
        {
            failures.Add($"{section.Key("AcknowledgeVerb")} must be DELETE or PATCH (was '{options.AcknowledgeVerb}').");
        }

        if (options.EventLimit is < 1 or > JtlClientOptions.MaxEventsPerPull)
        {
            failures.Add($"{section.Key("EventLimit")} must be between 1 and 100, JTL's most events per pull (was {options.EventLimit}).");
        }

        if (options.EventTypeFilter.Any(t => string.IsNullOrWhiteSpace(t) || t.Contains(',', StringComparison.Ordinal)))
        {
            failures.Add($"{section.Key("EventTypeFilter")} holds event types such as Seller:Offer.New, none empty or with a comma.");
        }

        if (options.RenewBefore < TimeSpan.Zero)
        {
            failures.Add($"{section.Key("RenewBefore")} must not be negative, e.g. 00:05:00 (was {options.RenewBefore}).");
        }

        ChannelClientOptionsValidation.Validate(options, section, failures);
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
