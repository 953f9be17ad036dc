using ListingSync.Sdk.DependencyInjection;
using ListingSync.Sdk.Http;
using Microsoft.Extensions.Options;

namespace ListingSync.Sdk.Channels.Instica;

/// <summary>Checks <see cref="InsticaClientOptions"/> at start-up; each message names the full key and a good value.</summary>
internal sealed class InsticaClientOptionsValidator(ChannelOptionsSection<InsticaClientOptions> section) : IValidateOptions<InsticaClientOptions>
{
    public ValidateOptionsResult Validate(string? name, InsticaClientOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (options.PageSize is < 1 or > 100)
        {
            failures.Add($"{section.Key("PageSize")} must be between 1 and 100 (Instica's maximum page_size; was {options.PageSize}).");
        }

        if (options.BulkSize is < 1 or > 1000)
        {
            failures.Add($"{section.Key("BulkSize")} must be between 1 and 1000, e.g. 100 (was {options.BulkSize}).");
        }

        if (options.MaxConcurrency is < 1 or > 64)
        {
            failures.Add($"{section.Key("MaxConcurrency")} must be between 1 and 64 (was {options.MaxConcurrency}).");
        }

        if (options.PrerequisiteMemory < TimeSpan.Zero)
        {
            failures.Add($"{section.Key("PrerequisiteMemory")} must not be negative, e.g. 00:05:00 (was {options.PrerequisiteMemory}).");
        }

        if (string.IsNullOrWhiteSpace(options.SellerAccountsPath) || options.SellerAccountsPath.StartsWith('/') || Uri.IsWellFormedUriString(options.SellerAccountsPath, UriKind.Absolute))
        {
            failures.Add($"{section.Key("SellerAccountsPath")} must be a path relative to the base address, e.g. api/v1/marketplace/accounts/ (was '{options.SellerAccountsPath}').");
        }

        if (string.IsNullOrWhiteSpace(options.TitleLanguage))
        {
            failures.Add($"{section.Key("TitleLanguage")} is required, e.g. en.");
        }

        ChannelClientOptionsValidation.Validate(options, section, failures);
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
