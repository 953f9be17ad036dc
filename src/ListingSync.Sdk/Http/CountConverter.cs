using System.Text.Json;
using System.Text.Json.Serialization;

namespace ListingSync.Sdk.Http;

/// <summary>
/// A count from a marketplace (rows, items): a whole number from 0 up. Anything else is a <see cref="JsonException"/>
/// that names the value, so the reader's path names the field; never wrapped, never made negative.
/// </summary>
internal sealed class CountConverter : JsonConverter<long>
{
    public override long Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out var value) && value >= 0)
        {
            return value;
        }

        var text = reader.TokenType is JsonTokenType.Number or JsonTokenType.String
            ? System.Text.Encoding.UTF8.GetString(reader.HasValueSequence ? System.Buffers.BuffersExtensions.ToArray(reader.ValueSequence) : reader.ValueSpan)
            : reader.TokenType.ToString();
        throw new JsonException($"a count must be a whole number from 0 to {long.MaxValue} (was {(text.Length > 40 ? text[..40] + "…" : text)}).");
    }

    public override void Write(Utf8JsonWriter writer, long value, JsonSerializerOptions options) => writer.WriteNumberValue(value);
}
