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

        if (NormalizeReference(draft.Reference) is { Length: > MaxReferenceLength } reference)
        {
            Add(ref errors, path, "reference", "max-length", $"must be at most {MaxReferenceLength} characters after trimming (was {reference.Length})");
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

        return errors ?? (IReadOnlyList<FieldError>)[];
    }

    /// <summary>
    /// The reference as marketplaces store it: trimmed; null when absent. An empty string stays empty, since
    /// sending it clears a stored reference.
    /// </summary>
    public static string? NormalizeReference(string? reference) => reference?.Trim();

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
