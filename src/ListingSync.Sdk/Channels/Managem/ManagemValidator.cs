using ListingSync.Sdk.Model;
using ListingSync.Sdk.Validation;

namespace ListingSync.Sdk.Channels.Managem;

/// <summary>Managem's own rules, on top of <see cref="ListingDraftValidator"/>.</summary>
public static class ManagemValidator
{
    /// <summary>Page size bounds of listing search.</summary>
    public const int MinPageSize = 1;

    /// <summary>Page size bounds of listing search.</summary>
    public const int MaxPageSize = 50;

    /// <summary>Most URNs per item lookup and most rows per bulk create.</summary>
    public const int MaxBatch = 200;

    /// <summary>Longest webhook description.</summary>
    public const int MaxWebhookDescription = 1024;

    /// <summary>
    /// True when <paramref name="urn"/> is canonical: starts with <c>urn:managem:</c>, is lower-case and does
    /// not end with <c>/</c>.
    /// </summary>
    public static bool IsCanonicalUrn(string? urn)
    {
        if (urn is not { Length: > 12 } || !urn.StartsWith("urn:managem:", StringComparison.Ordinal) || urn.EndsWith('/'))
        {
            return false;
        }

        foreach (var c in urn)
        {
            if (c < 128 ? c is (>= 'A' and <= 'Z') or <= ' ' : char.IsUpper(c) || char.IsWhiteSpace(c))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Checks a draft for a create (<paramref name="forCreate"/>) or an update; returns every broken rule.</summary>
    public static IReadOnlyList<FieldError> ValidateDraft(ListingDraft draft, ManagemClientOptions options, bool forCreate, string path = "")
    {
        ArgumentNullException.ThrowIfNull(draft);
        ArgumentNullException.ThrowIfNull(options);
        var neutral = ListingDraftValidator.Validate(draft, path);
        var own = ChannelRules(draft, options, forCreate, path);
        return neutral.Count == 0 ? own : own.Count == 0 ? neutral : [.. neutral, .. own];
    }

    /// <summary>Managem's own rules only (the channel-neutral ones are checked elsewhere); allocates nothing for a valid draft.</summary>
    internal static IReadOnlyList<FieldError> ChannelRules(ListingDraft draft, ManagemClientOptions options, bool forCreate, string path = "")
    {
        List<FieldError>? errors = null;
        void Add(string field, string rule, string message) => (errors ??= []).Add(new FieldError(ListingDraftValidator.Join(path, field), rule, message));

        if (forCreate && draft.Item is not null && string.IsNullOrWhiteSpace(draft.Item.Urn) && draft.Item.BestKind != ItemIdentityKind.None)
        {
            Add("item.urn", "urn-required", "Managem creates listings by URN: resolve the item first (ReconcilerOptions.IdentityResolver = ManagemIdentityResolver)");
        }

        if (forCreate && draft.Item?.Urn is { } urn && !IsCanonicalUrn(urn))
        {
            Add("item.urn", "urn-format", $"must start with 'urn:managem:', be lower-case and not end with '/' (was '{urn}')");
        }

        if (draft.Price.Currency is { } currency)
        {
            if (!string.Equals(currency, options.Currency, StringComparison.Ordinal))
            {
                Add("price.currency", "currency", $"must be the account currency {options.Currency} (was {currency}); the SDK does not convert currencies");
            }
            else if (draft.Price.Amount > ManagemMapper.MaxAmount(options.CurrencyDecimals))
            {
                Add("price", "range", $"must be at most {ManagemMapper.MaxAmount(options.CurrencyDecimals)} {currency}: Managem stores prices as 64-bit minor units (was {draft.Price.Amount})");
            }
            else if (draft.Price.Amount >= 0 && !ManagemMapper.FitsMinorUnits(draft.Price.Amount, options.CurrencyDecimals))
            {
                Add("price", "precision", $"must be a whole number of minor units ({options.CurrencyDecimals} decimal places; was {draft.Price.Amount})");
            }
        }

        return errors ?? (IReadOnlyList<FieldError>)[];
    }

    /// <summary>Checks a search page size.</summary>
    /// <exception cref="ListingSyncValidationException">Outside 1..50.</exception>
    public static void ValidatePageSize(int size)
    {
        if (size is < MinPageSize or > MaxPageSize)
        {
            throw new ListingSyncValidationException([new FieldError("size", "range", $"must be between {MinPageSize} and {MaxPageSize} (was {size})")]);
        }
    }
}
