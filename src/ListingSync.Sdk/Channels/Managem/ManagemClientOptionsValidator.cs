using ListingSync.Sdk.Http;
using ListingSync.Sdk.Model;
using Microsoft.Extensions.Options;

namespace ListingSync.Sdk.Channels.Managem;

/// <summary>Checks <see cref="ManagemClientOptions"/> at start-up; each message names the key and a good value.</summary>
internal sealed class ManagemClientOptionsValidator(DependencyInjection.ChannelOptionsSection<ManagemClientOptions> section) : IValidateOptions<ManagemClientOptions>
{
    public ValidateOptionsResult Validate(string? name, ManagemClientOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();

        if (!Money.IsCurrencyCode(options.Currency))
        {
            failures.Add($"{section.Path}:Currency must be an ISO 4217 code such as GBP (was '{options.Currency}').");
        }

        if (options.CurrencyDecimals is < 0 or > 4)
        {
            failures.Add($"{section.Path}:CurrencyDecimals must be between 0 and 4, e.g. 2 for pence (was {options.CurrencyDecimals}).");
        }

        if (options.ScanOverlap is < 0 or > 49)
        {
            failures.Add($"{section.Path}:ScanOverlap must be between 0 and 49, e.g. 2 (was {options.ScanOverlap}).");
        }

        if (options.BulkBatchSize is < 1 or > 200)
        {
            failures.Add($"{section.Path}:BulkBatchSize must be between 1 and 200 (was {options.BulkBatchSize}).");
        }

        ChannelClientOptionsValidation.Validate(options, section, failures);
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
