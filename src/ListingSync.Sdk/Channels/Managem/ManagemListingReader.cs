using System.Buffers;
using System.Buffers.Text;
using System.Text.Json;
using ListingSync.Sdk.Model;

namespace ListingSync.Sdk.Channels.Managem;

/// <summary>
/// Reads Managem listings straight from UTF-8 JSON into the canonical <see cref="Listing"/>, converting pence to
/// decimals on the way. Listing pages are the SDK's hot path; skipping the intermediate wire objects keeps a
/// page's allocations to what the caller keeps. Lenient like the rest of the SDK: numbers may arrive as strings,
/// unknown fields are skipped, nulls are absent values.
/// </summary>
internal static class ManagemListingReader
{
    /// <summary>A search answer: the total (null when missing) and the hits (null when missing or null).</summary>
    public static (long? Total, Listing[]? Hits) ReadSearchResponse(ReadOnlySpan<byte> utf8, string currency, int decimals)
    {
        var reader = new Utf8JsonReader(utf8);
        Expect(ref reader, JsonTokenType.StartObject);
        long? total = null;
        Listing[]? hits = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("total"u8))
            {
                reader.Read();
                total = ReadInt64(ref reader);
            }
            else if (reader.ValueTextEquals("hits"u8))
            {
                reader.Read();
                hits = reader.TokenType == JsonTokenType.Null ? null : ReadArray(ref reader, currency, decimals);
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        return (total, hits);
    }

    public static Listing[] ReadListingArray(ReadOnlySpan<byte> utf8, string currency, int decimals)
    {
        var reader = new Utf8JsonReader(utf8);
        reader.Read();
        return ReadArray(ref reader, currency, decimals);
    }

    public static Listing ReadSingle(ReadOnlySpan<byte> utf8, string currency, int decimals)
    {
        var reader = new Utf8JsonReader(utf8);
        reader.Read();
        return ReadListing(ref reader, currency, decimals);
    }

    private static Listing[] ReadArray(ref Utf8JsonReader reader, string currency, int decimals)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return [];
        }

        Expect(ref reader, JsonTokenType.StartArray, alreadyRead: true);
        var list = new List<Listing>(50);
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            list.Add(ReadListing(ref reader, currency, decimals));
        }

        return [.. list];
    }

    private static Listing ReadListing(ref Utf8JsonReader reader, string currency, int decimals)
    {
        Expect(ref reader, JsonTokenType.StartObject, alreadyRead: true);
        string? id = null, sellerId = null, condition = null, language = null, reference = null, comment = null, notes = null;
        string? gradingProvider = null, gradingScore = null, gradingNumber = null;
        long price = 0;
        int quantity = 0;
        int? available = null;
        IReadOnlyList<string> variants = [];
        DateTimeOffset? createdAt = null, updatedAt = null;
        bool valid = true, hidden = false, locked = false;
        ItemIdentity item = Empty;
        try
        {
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("id"u8)) { reader.Read(); id = ReadString(ref reader); }
            else if (reader.ValueTextEquals("price"u8)) { reader.Read(); price = ReadInt64(ref reader, "price") ?? 0; }
            else if (reader.ValueTextEquals("quantity"u8)) { reader.Read(); quantity = ReadCount(ref reader, "quantity") ?? 0; }
            else if (reader.ValueTextEquals("available"u8)) { reader.Read(); available = ReadCount(ref reader, "available"); }
            else if (reader.ValueTextEquals("condition"u8)) { reader.Read(); condition = ReadString(ref reader); }
            else if (reader.ValueTextEquals("language"u8)) { reader.Read(); language = ReadString(ref reader); }
            else if (reader.ValueTextEquals("reference"u8)) { reader.Read(); reference = ReadString(ref reader); }
            else if (reader.ValueTextEquals("sellerId"u8)) { reader.Read(); sellerId = ReadString(ref reader); }
            else if (reader.ValueTextEquals("hidden"u8)) { reader.Read(); hidden = ReadBool(ref reader) ?? false; }
            else if (reader.ValueTextEquals("valid"u8)) { reader.Read(); valid = ReadBool(ref reader) ?? true; }
            else if (reader.ValueTextEquals("locked"u8)) { reader.Read(); locked = ReadBool(ref reader) ?? false; }
            else if (reader.ValueTextEquals("createdAt"u8)) { reader.Read(); createdAt = ReadDate(ref reader, "createdAt"); }
            else if (reader.ValueTextEquals("updatedAt"u8)) { reader.Read(); updatedAt = ReadDate(ref reader, "updatedAt"); }
            else if (reader.ValueTextEquals("variants"u8)) { reader.Read(); variants = ReadStrings(ref reader); }
            else if (reader.ValueTextEquals("comment"u8)) { reader.Read(); comment = ReadString(ref reader); }
            else if (reader.ValueTextEquals("notes"u8)) { reader.Read(); notes = ReadString(ref reader); }
            else if (reader.ValueTextEquals("gradingProvider"u8)) { reader.Read(); gradingProvider = ReadString(ref reader); }
            else if (reader.ValueTextEquals("gradingScore"u8)) { reader.Read(); gradingScore = ReadString(ref reader); }
            else if (reader.ValueTextEquals("gradingNumber"u8)) { reader.Read(); gradingNumber = ReadString(ref reader); }
            else if (reader.ValueTextEquals("item"u8)) { reader.Read(); item = ReadItem(ref reader); }
            else { reader.Read(); reader.Skip(); }
        }
        }
        catch (JsonException ex)
        {
            // Name the listing (its id comes first in Managem's answers) as well as the field.
            throw new JsonException($"listing {id ?? "(id not read yet)"}: {ex.Message}", ex);
        }

        return new Listing
        {
            Id = id ?? throw new JsonException("A Managem listing has no 'id'."),
            SellerId = sellerId,
            Reference = string.IsNullOrEmpty(reference) ? null : reference,
            Item = item,
            Condition = new ListingCondition(string.IsNullOrEmpty(condition) ? "UNKNOWN" : condition),
            Language = language ?? string.Empty,
            Price = new Money(ManagemMapper.FromMinorUnits(price, decimals), currency),
            Quantity = quantity,
            Available = available,
            Variants = variants,
            Visibility = hidden ? ListingVisibility.Hidden : ListingVisibility.Visible,
            Comment = comment,
            Notes = notes,
            Grading = string.IsNullOrEmpty(gradingProvider) ? null : new Grading(gradingProvider, gradingScore ?? string.Empty, gradingNumber),
            Valid = valid,
            Locked = locked,
            CreatedAt = createdAt,
            UpdatedAt = updatedAt,
        };
    }

    private static readonly ItemIdentity Empty = new();

    private static ItemIdentity ReadItem(ref Utf8JsonReader reader)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return Empty;
        }

        Expect(ref reader, JsonTokenType.StartObject, alreadyRead: true);
        string? urn = null, game = null, name = null, number = null, set = null;
        long? cardmarket = null, tcgplayer = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("urn"u8)) { reader.Read(); urn = ReadString(ref reader); }
            else if (reader.ValueTextEquals("game"u8)) { reader.Read(); game = ReadString(ref reader); }
            else if (reader.ValueTextEquals("name"u8)) { reader.Read(); name = ReadString(ref reader); }
            else if (reader.ValueTextEquals("number"u8)) { reader.Read(); number = ReadString(ref reader); }
            else if (reader.ValueTextEquals("cardmarketId"u8)) { reader.Read(); cardmarket = ReadInt64(ref reader); }
            else if (reader.ValueTextEquals("tcgplayerId"u8)) { reader.Read(); tcgplayer = ReadInt64(ref reader); }
            else if (reader.ValueTextEquals("set"u8))
            {
                reader.Read();
                if (reader.TokenType == JsonTokenType.StartObject)
                {
                    while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                    {
                        if (reader.ValueTextEquals("name"u8)) { reader.Read(); set = ReadString(ref reader); }
                        else { reader.Read(); reader.Skip(); }
                    }
                }
                else
                {
                    reader.Skip();
                }
            }
            else { reader.Read(); reader.Skip(); }
        }

        return new ItemIdentity { Urn = urn, Game = game, Name = name, Number = number, Set = set, CardmarketId = cardmarket, TcgplayerId = tcgplayer };
    }

    private static string? ReadString(ref Utf8JsonReader reader) => reader.TokenType switch
    {
        JsonTokenType.String => reader.GetString(),
        JsonTokenType.Null => null,
        JsonTokenType.Number => System.Text.Encoding.UTF8.GetString(reader.ValueSpan),
        _ => throw new JsonException($"Expected a string, found {reader.TokenType}."),
    };

    private static long? ReadInt64(ref Utf8JsonReader reader, string field = "number")
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.Number when reader.TryGetInt64(out var number):
                return number;
            case JsonTokenType.Null:
                return null;
            case JsonTokenType.String when Utf8Parser.TryParse(reader.ValueSpan, out long value, out var consumed) && consumed == reader.ValueSpan.Length:
                return value;
            default:
                throw new JsonException($"'{field}' must be a whole number within 64 bits (was {Text(ref reader)}).");
        }
    }

    /// <summary>A count (quantity, available): 0..2,147,483,647; anything else is an error, never wrapped.</summary>
    private static int? ReadCount(ref Utf8JsonReader reader, string field) => ReadInt64(ref reader, field) switch
    {
        null => null,
        >= 0 and <= int.MaxValue and var value => (int)value,
        var value => throw new JsonException($"'{field}' must be between 0 and {int.MaxValue} (was {value})."),
    };

    private static string Text(ref Utf8JsonReader reader) =>
        reader.TokenType is JsonTokenType.Number or JsonTokenType.String && !reader.HasValueSequence
            ? System.Text.Encoding.UTF8.GetString(reader.ValueSpan)
            : reader.TokenType.ToString();

    private static bool? ReadBool(ref Utf8JsonReader reader) => reader.TokenType switch
    {
        JsonTokenType.True => true,
        JsonTokenType.False => false,
        JsonTokenType.Null => null,
        _ => throw new JsonException($"Expected true or false, found {reader.TokenType}."),
    };

    private static DateTimeOffset? ReadDate(ref Utf8JsonReader reader, string field) =>
        reader.TokenType == JsonTokenType.Null ? null
        : reader.TokenType != JsonTokenType.String ? throw new JsonException($"'{field}' must be an ISO 8601 date-time string (was {Text(ref reader)}).")
        : reader.TryGetDateTimeOffset(out var value) ? value
        : DateTimeOffset.TryParse(reader.GetString(), System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out value) ? value
        : throw new JsonException($"'{field}' is not a date-time (was {Text(ref reader)}).");

    private static string[] ReadStrings(ref Utf8JsonReader reader)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return [];
        }

        Expect(ref reader, JsonTokenType.StartArray, alreadyRead: true);
        List<string>? values = null;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray)
            {
                reader.Skip(); // a variant shape the SDK does not know: keep reading the rest
            }
            else if (ReadString(ref reader) is { } value)
            {
                (values ??= []).Add(value);
            }
        }

        return values is null ? [] : [.. values];
    }

    private static void Expect(ref Utf8JsonReader reader, JsonTokenType type, bool alreadyRead = false)
    {
        if (!alreadyRead)
        {
            reader.Read();
        }

        if (reader.TokenType != type)
        {
            throw new JsonException($"Expected {type}, found {reader.TokenType}.");
        }
    }
}
