using ListingSync.Sdk.DependencyInjection;
using ListingSync.Sdk.Http;
using Microsoft.Extensions.Options;

namespace ListingSync.Sdk.Channels.Shopiro;

/// <summary>Checks <see cref="ShopiroClientOptions"/> at start-up; each message names the full key and a good value.</summary>
internal sealed class ShopiroClientOptionsValidator(ChannelOptionsSection<ShopiroClientOptions> section) : IValidateOptions<ShopiroClientOptions>
{
    public ValidateOptionsResult Validate(string? name, ShopiroClientOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (string.IsNullOrWhiteSpace(options.NewListingId))
        {
            failures.Add($"{section.Key("NewListingId")} is required, e.g. new.");
        }

        if (!TimeZoneInfo.TryFindSystemTimeZoneById(options.CreationDateTimeZone ?? "", out _))
        {
            failures.Add($"{section.Key("CreationDateTimeZone")} must be a time zone id, e.g. America/Toronto (was '{options.CreationDateTimeZone}').");
        }

        if (options.Currency is not { Length: 3 })
        {
            failures.Add($"{section.Key("Currency")} must be an ISO 4217 code, e.g. USD (was '{options.Currency}').");
        }

        if (options.MaxConcurrency is < 1 or > 64)
        {
            failures.Add($"{section.Key("MaxConcurrency")} must be between 1 and 64 (was {options.MaxConcurrency}).");
        }

        if (options.DefaultWarehouse is { } warehouse && warehouse.Split('/').Length != 3)
        {
            failures.Add($"{section.Key("DefaultWarehouse")} must be country/subdivision/postal code, e.g. CA/CA-QC/G1W 2V7 (was '{warehouse}').");
        }

        ChannelClientOptionsValidation.Validate(options, section, failures);
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
