using ListingSync.Sdk.Model;

namespace ListingSync.Sdk.Validation;

/// <summary>
/// The channel-neutral rules every draft must meet before anything is sent. Channels add their own rules
/// on top (Managem: a canonical URN, the account currency, pence precision).
/// </summary>
public static class ListingDraftValidator
{
    /// <summary>The longest reference, counted after trimming.</summary>
    public const int MaxReferenceLength = 255;

    /// <summary>Checks <paramref name="draft"/>; returns every broken rule (empty when valid).</summary>
    /// <param name="draft">The draft.</param>
    /// <param name="path">Prefix for field names, e.g. <c>drafts[3]</c>; empty for none.</param>
    public static IReadOnlyList<FieldError> Validate(ListingDraft draft, string path = "")
    {
        ArgumentNullException.ThrowIfNull(draft);
        List<FieldError>? errors = null;

        if (NormalizeReference(draft.Reference) is { } reference)
        {
            if (reference.Length > MaxReferenceLength)
            {
                Add(ref errors, path, "reference", "max-length", $"must be at most {MaxReferenceLength} characters after trimming (was {reference.Length})");
            }

            ValidateReferenceCharacters(reference, path, ref errors);
        }

        if (draft.Item is null || draft.Item.BestKind == ItemIdentityKind.None)
        {
            Add(ref errors, path, "item", "identity-required", "needs a URN, a Cardmarket id, a TCGplayer id, game + set + name, a SKU or a GTIN");
        }

        if (draft.Price.Currency is null)
        {
            Add(ref errors, path, "price", "required", "is required");
        }
        else if (draft.Price.Amount < 0)
        {
            Add(ref errors, path, "price", "non-negative", $"must not be negative (was {draft.Price})");
        }

        if (draft.Quantity < 0)
        {
            Add(ref errors, path, "quantity", "non-negative", $"must not be negative (was {draft.Quantity})");
        }

        if (draft.Condition.Code is null)
        {
            Add(ref errors, path, "condition", "required", "is required");
        }

        if (string.IsNullOrWhiteSpace(draft.Language))
        {
            Add(ref errors, path, "language", "required", "is required");
        }

        if (draft.Variants is null || HasEmpty(draft.Variants))
        {
            Add(ref errors, path, "variants", "no-empty-entries", "must not contain empty variant ids");
        }

        if (draft.Titles.Count + draft.Descriptions.Count + draft.Attributes.Count + draft.Pictures.Count + draft.Variations.Count + draft.QuantityByLocation.Count > 0 || draft.Package is not null)
        {
            ValidateContent(draft, path, ref errors);
        }

        return errors ?? (IReadOnlyList<FieldError>)[];
    }

    // The rich fields, checked only when a draft has any: trading-card drafts (the hot path) have none.
    private static void ValidateContent(ListingDraft draft, string path, ref List<FieldError>? errors)
    {
        foreach (var (name, text) in new[] { ("titles", draft.Titles), ("descriptions", draft.Descriptions) })
        {
            foreach (var (language, value) in text)
            {
                if (string.IsNullOrWhiteSpace(language) || string.IsNullOrWhiteSpace(value))
                {
                    Add(ref errors, path, $"{name}[{language}]", "no-empty-entries", "needs a language code and a non-empty text");
                }
            }
        }

        for (var i = 0; i < draft.Attributes.Count; i++)
        {
            if (draft.Attributes[i] is not { Name.Length: > 0, Value: not null })
            {
                Add(ref errors, path, $"attributes[{i}]", "name-and-value", "needs a name and a value");
            }
        }

        for (var i = 0; i < draft.Pictures.Count; i++)
        {
            if (!Uri.TryCreate(draft.Pictures[i]?.Url, UriKind.Absolute, out var url) || (url.Scheme != Uri.UriSchemeHttps && url.Scheme != Uri.UriSchemeHttp))
            {
                Add(ref errors, path, $"pictures[{i}].url", "absolute-http-url", $"must be an absolute http(s) URL (was '{draft.Pictures[i]?.Url}')");
            }
        }

        for (var i = 0; i < draft.Variations.Count; i++)
        {
            if (draft.Variations[i] is not { Quantity: >= 0 } variation || variation.Price is { Amount: < 0 })
            {
                Add(ref errors, path, $"variations[{i}]", "non-negative", "quantity and price must not be negative");
            }
        }

        if (draft.Package is { } package && (package.Length < 0 || package.Width < 0 || package.Height < 0 || package.Weight < 0))
        {
            Add(ref errors, path, "package", "non-negative", $"dimensions and weight must not be negative (was {package.Length} x {package.Width} x {package.Height}, {package.Weight})");
        }

        if (draft.QuantityByLocation.Count > 0)
        {
            long sum = 0;
            foreach (var (location, units) in draft.QuantityByLocation)
            {
                sum += units;
                if (units < 0 || string.IsNullOrWhiteSpace(location))
                {
                    Add(ref errors, path, $"quantityByLocation[{location}]", "non-negative", "needs a location id and a quantity that is not negative");
                }
            }

            if (sum != draft.Quantity)
            {
                Add(ref errors, path, "quantityByLocation", "adds-up", $"must add up to quantity {draft.Quantity} (adds up to {sum})");
            }
        }
    }

    /// <summary>
    /// The reference as the SDK keys it and marketplaces store it: trimmed and in Unicode normalisation form C, so
    /// "café" typed with a combining accent and with a precomposed é is one product; null when absent. An empty string
    /// stays empty, since sending it clears a stored reference.
    /// </summary>
    public static string? NormalizeReference(string? reference)
    {
        if (reference is null)
        {
            return null;
        }

        var trimmed = reference.Trim();
        return IsAscii(trimmed) || trimmed.IsNormalized(System.Text.NormalizationForm.FormC) ? trimmed : trimmed.Normalize(System.Text.NormalizationForm.FormC);
    }

    private static bool IsAscii(string value) => System.Text.Ascii.IsValid(value);

    /// <summary>Characters that render as nothing: a reference made only of them looks empty but is not.</summary>
    private static bool IsInvisible(char c) => c is '\u200B' or '\u200C' or '\u200D' or '\u2060' or '\uFEFF' or '\u00AD';

    /// <summary>Bidirectional embeddings, overrides and isolates: they make a reference display as another one.</summary>
    private static bool IsBidiControl(char c) => c is (>= '\u202A' and <= '\u202E') or (>= '\u2066' and <= '\u2069') or '\u200E' or '\u200F' or '\u061C';

    private static void ValidateReferenceCharacters(string reference, string path, ref List<FieldError>? errors)
    {
        if (IsAscii(reference))
        {
            // ASCII's control characters are U+0000–U+001F and U+007F: one vectorised search instead of a test per character.
            var at = reference.AsSpan().IndexOfAnyInRange('\u0000', '\u001F');
            at = at >= 0 ? at : reference.IndexOf('\u007F', StringComparison.Ordinal);
            if (at >= 0)
            {
                Add(ref errors, path, "reference", "no-control-characters", $"must not contain control characters (U+{(int)reference[at]:X4})");
            }

            return;
        }

        var visible = false;
        foreach (var c in reference)
        {
            if (char.IsControl(c))
            {
                Add(ref errors, path, "reference", "no-control-characters", $"must not contain control characters (U+{(int)c:X4})");
                return;
            }

            if (IsBidiControl(c))
            {
                Add(ref errors, path, "reference", "no-bidi-controls", $"must not contain bidirectional control characters (U+{(int)c:X4}): they make one reference display as another");
                return;
            }

            visible |= !IsInvisible(c) && !char.IsWhiteSpace(c);
        }

        if (!visible && reference.Length > 0)
        {
            Add(ref errors, path, "reference", "not-blank", "must contain a visible character (it holds only zero-width or blank characters)");
        }
    }

    private static bool HasEmpty(IReadOnlyList<string> variants)
    {
        for (var i = 0; i < variants.Count; i++)
        {
            if (string.IsNullOrWhiteSpace(variants[i]))
            {
                return true;
            }
        }

        return false;
    }

    // Not a local function: a capturing one would allocate a closure on every call, even for valid drafts.
    private static void Add(ref List<FieldError>? errors, string path, string field, string rule, string message) =>
        (errors ??= []).Add(new FieldError(Join(path, field), rule, message));

    internal static string Join(string path, string field) => string.IsNullOrEmpty(path) ? field : $"{path}.{field}";
}
