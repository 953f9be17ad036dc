using System.Globalization;
using System.Text;
using System.Text.Json;
using ListingSync.Sdk.Model;
using ListingSync.Sdk.Reconciliation;

namespace ListingSync.Sdk.MultiChannel;

/// <summary>How a first-sync validation samples the host's inventory.</summary>
public sealed class ValidationOptions
{
    /// <summary>How many of the host's products to check on every channel (a seeded sample). Default 20.</summary>
    public int SampleSize { get; set; } = 20;

    /// <summary>The sample's seed: the same seed and inventory check the same products. Default 1.</summary>
    public int Seed { get; set; } = 1;

    /// <summary>The channels to check (null: all), e.g. the one channel being brought in.</summary>
    public IReadOnlyCollection<string>? Channels { get; set; }
}

/// <summary>What a sampled product looks like on one channel.</summary>
public enum ListingCheckStatus
{
    /// <summary>The listing matches the host's record (after the channel's policy) and points back to it.</summary>
    Matches,

    /// <summary>At least one shared field differs (<see cref="ListingCheck.Mismatches"/>).</summary>
    Mismatched,

    /// <summary>The listing does not point back to this product (<see cref="ListingCheck.BackPointer"/> says how).</summary>
    WrongBackPointer,

    /// <summary>The channel takes the product but no listing is recorded for it: the first sync has not listed it.</summary>
    NotListed,

    /// <summary>A listing is recorded but the channel no longer has it.</summary>
    Gone,

    /// <summary>The listing could not be read (<see cref="ListingCheck.Message"/>).</summary>
    Unreadable,
}

/// <summary>A shared field whose value on the channel differs from the host's record after the channel's policy.</summary>
/// <param name="Field">The field (e.g. <c>price</c>, <c>quantity</c>, <c>pictures</c>).</param>
/// <param name="Expected">The host's value after the channel's policy.</param>
/// <param name="Actual">The channel's value.</param>
public sealed record FieldMismatch(string Field, string Expected, string Actual);

/// <summary>One sampled product on one channel.</summary>
/// <param name="Channel">The channel.</param>
/// <param name="Reference">The host's product.</param>
/// <param name="ListingId">The listing recorded for it, if any.</param>
/// <param name="Status">The verdict.</param>
/// <param name="Mismatches">Shared fields (owned by the host there and stored by the channel) that differ.</param>
/// <param name="BackPointer">How the listing points back to the host's product, or what is wrong with it.</param>
/// <param name="ChannelFields">Channel-specific fields the listing carries (kept apart: not compared, never overwritten).</param>
/// <param name="Message">Why the listing could not be checked.</param>
public sealed record ListingCheck(string Channel, string Reference, string? ListingId, ListingCheckStatus Status, IReadOnlyList<FieldMismatch> Mismatches, string? BackPointer, IReadOnlyList<string> ChannelFields, string? Message);

/// <summary>
/// The first-sync validation report (seed 004): for a sample of the host's products, each channel's listing compared
/// field by field with the host's record after that channel's policy (title, price after the price rule, quantity after
/// the buffer, condition, variants, pictures), and checked to point back to the right product.
/// </summary>
/// <param name="Seller">The seller.</param>
/// <param name="Sampled">The products sampled.</param>
/// <param name="Checks">One entry per sampled product and channel that takes it.</param>
public sealed record ValidationReport(SellerScope Seller, IReadOnlyList<string> Sampled, IReadOnlyList<ListingCheck> Checks)
{
    /// <summary>True when every check matches.</summary>
    public bool IsClean => Checks.All(c => c.Status == ListingCheckStatus.Matches);

    /// <summary>Checks with <paramref name="status"/>.</summary>
    public int Count(ListingCheckStatus status) => Checks.Count(c => c.Status == status);

    /// <summary>A table: one row per channel (checked, matching, per problem) and one line per problem found.</summary>
    public string ToTable()
    {
        var statuses = Enum.GetValues<ListingCheckStatus>();
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"First-sync validation of {Sampled.Count} sampled product(s):");
        text.Append(CultureInfo.InvariantCulture, $"{"channel",-18} {"checked",8}");
        foreach (var status in statuses)
        {
            text.Append(CultureInfo.InvariantCulture, $" {Short(status),10}");
        }

        text.AppendLine();
        foreach (var channel in Checks.GroupBy(c => c.Channel))
        {
            text.Append(CultureInfo.InvariantCulture, $"{channel.Key,-18} {channel.Count(),8}");
            foreach (var status in statuses)
            {
                text.Append(CultureInfo.InvariantCulture, $" {channel.Count(c => c.Status == status),10}");
            }

            text.AppendLine();
        }

        foreach (var check in Checks.Where(c => c.Status != ListingCheckStatus.Matches))
        {
            var detail = check.Status switch
            {
                ListingCheckStatus.Mismatched => string.Join("; ", check.Mismatches.Select(m => $"{m.Field}: expected {m.Expected}, found {m.Actual}")),
                ListingCheckStatus.WrongBackPointer => check.BackPointer,
                _ => check.Message,
            };
            text.AppendLine(CultureInfo.InvariantCulture, $"  {check.Channel} {check.Reference} ({check.ListingId ?? "no listing"}): {Short(check.Status)}: {detail}");
        }

        return text.ToString();
    }

    /// <summary>The report as JSON: the sample, totals per status, and every check with its mismatches.</summary>
    public string ToJson()
    {
        return IndentedJson.Write(json =>
        {
            json.WriteStartObject();
            json.WriteString("seller", Seller.SellerId);
            json.WriteBoolean("clean", IsClean);
            json.WriteStartArray("sampled");
            foreach (var reference in Sampled)
            {
                json.WriteStringValue(reference);
            }

            json.WriteEndArray();
            json.WriteStartObject("total");
            foreach (var status in Enum.GetValues<ListingCheckStatus>())
            {
                json.WriteNumber(JsonNamingPolicy.CamelCase.ConvertName(status.ToString()), Count(status));
            }

            json.WriteEndObject();
            json.WriteStartArray("checks");
            foreach (var check in Checks)
            {
                json.WriteStartObject();
                json.WriteString("channel", check.Channel);
                json.WriteString("reference", check.Reference);
                json.WriteString("listingId", check.ListingId);
                json.WriteString("status", JsonNamingPolicy.CamelCase.ConvertName(check.Status.ToString()));
                json.WriteString("backPointer", check.BackPointer);
                json.WriteStartArray("mismatches");
                foreach (var mismatch in check.Mismatches)
                {
                    json.WriteStartObject();
                    json.WriteString("field", mismatch.Field);
                    json.WriteString("expected", mismatch.Expected);
                    json.WriteString("actual", mismatch.Actual);
                    json.WriteEndObject();
                }

                json.WriteEndArray();
                json.WriteStartArray("channelFields");
                foreach (var field in check.ChannelFields)
                {
                    json.WriteStringValue(field);
                }

                json.WriteEndArray();
                if (check.Message is not null)
                {
                    json.WriteString("message", check.Message);
                }

                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        });
    }

    private static string Short(ListingCheckStatus status) => status switch
    {
        ListingCheckStatus.WrongBackPointer => "backPointer",
        ListingCheckStatus.NotListed => "notListed",
        _ => JsonNamingPolicy.CamelCase.ConvertName(status.ToString()),
    };
}

/// <summary>The field-by-field comparison of a host record (after a channel's policy) with the channel's listing.</summary>
internal static class ListingComparison
{
    private static readonly (ListingFields Field, string Name, Func<ListingDraft, string> Host, Func<Listing, string> Channel)[] Described =
    [
        (ListingFields.Titles, "titles", d => Text(d.Titles), l => Text(l.Titles)),
        (ListingFields.Descriptions, "descriptions", d => Text(d.Descriptions), l => Text(l.Descriptions)),
        (ListingFields.Price, "price", d => d.Price.ToString(), l => l.Price.ToString()),
        (ListingFields.Quantity, "quantity", d => Number(d.Quantity), l => Number(l.Quantity)),
        (ListingFields.Condition, "condition", d => d.Condition.ToString(), l => l.Condition.ToString()),
        (ListingFields.Language, "language", d => d.Language, l => l.Language),
        (ListingFields.Visibility, "visibility", d => d.Visibility.ToString(), l => l.Visibility.ToString()),
        (ListingFields.Variants, "variants", d => List(d.Variants), l => List(l.Variants)),
        (ListingFields.Variations, "variations", d => List(d.Variations.Select(v => v.ToString())), l => List(l.Variations.Select(v => v.ToString()))),
        (ListingFields.Pictures, "pictures", d => List(d.Pictures.Select(p => p.Url)), l => List(l.Pictures.Select(p => p.Url))),
        (ListingFields.Category, "category", d => d.Category ?? "(none)", l => l.Category ?? "(none)"),
        (ListingFields.Attributes, "attributes", d => List(d.Attributes.Select(a => a.ToString())), l => List(l.Attributes.Select(a => a.ToString()))),
        (ListingFields.Package, "package", d => d.Package?.ToString() ?? "(none)", l => l.Package?.ToString() ?? "(none)"),
        (ListingFields.QuantityByLocation, "quantityByLocation", d => List(d.QuantityByLocation.Select(q => $"{q.Key}={q.Value}")), l => List(l.QuantityByLocation.Select(q => $"{q.Key}={q.Value}"))),
        (ListingFields.Comment, "comment", d => d.Comment ?? "(none)", l => l.Comment ?? "(none)"),
        (ListingFields.Notes, "notes", d => d.Notes ?? "(none)", l => l.Notes ?? "(none)"),
    ];

    /// <summary>The shared fields among <paramref name="compared"/> where the listing differs, with both values.</summary>
    public static IReadOnlyList<FieldMismatch> Mismatches(ListingDraft host, Listing listing, ListingFields compared)
    {
        var differing = Reconciler.Diff(host, listing, compared);
        return [.. Described.Where(d => (differing & d.Field) != 0).Select(d => new FieldMismatch(d.Name, d.Host(host), d.Channel(listing)))];
    }

    private static string Text(IReadOnlyDictionary<string, string> text) =>
        text.Count == 0 ? "(none)" : string.Join(", ", text.OrderBy(t => t.Key, StringComparer.Ordinal).Select(t => $"{t.Key}: \"{t.Value}\""));

    private static string List(IEnumerable<string> values) => values.ToList() is { Count: > 0 } list ? "[" + string.Join(", ", list) + "]" : "(none)";

    private static string Number(int value) => value.ToString(CultureInfo.InvariantCulture);
}
