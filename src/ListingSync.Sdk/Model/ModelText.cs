using System.Collections;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Reflection;
using System.Text;

namespace ListingSync.Sdk.Model;

/// <summary>
/// The <c>ToString()</c> of the canonical records: what the compiler prints, except that lists and dictionaries show
/// their items (<c>Variants = [foil, signed]</c>, <c>Titles = {en: Mug}</c>) instead of their type name.
/// </summary>
internal static class ModelText
{
    private const int MaxItems = 20;

    public static bool PrintMembers<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicProperties)] T>(T value, StringBuilder builder)
    {
        var first = true;
        foreach (var property in typeof(T).GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (property.GetIndexParameters().Length > 0 || property.GetMethod is null)
            {
                continue;
            }

            if (!first)
            {
                builder.Append(", ");
            }

            first = false;
            builder.Append(property.Name).Append(" = ");
            Append(builder, property.GetValue(value));
        }

        return !first;
    }

    private static void Append(StringBuilder builder, object? value)
    {
        switch (value)
        {
            case null:
                builder.Append("null");
                break;
            case string text:
                builder.Append(text);
                break;
            case IDictionary dictionary:
                builder.Append('{');
                var i = 0;
                foreach (DictionaryEntry entry in dictionary)
                {
                    if (i++ == MaxItems)
                    {
                        builder.Append(", …");
                        break;
                    }

                    builder.Append(i == 1 ? "" : ", ").Append(Convert.ToString(entry.Key, CultureInfo.InvariantCulture)).Append(": ");
                    Append(builder, entry.Value);
                }

                builder.Append('}');
                break;
            case IEnumerable items when value is not System.Text.Json.JsonElement:
                var open = builder.Length;
                builder.Append('[');
                var n = 0;
                var pairs = false;
                foreach (var item in items)
                {
                    if (n++ == MaxItems)
                    {
                        builder.Append(", …");
                        break;
                    }

                    builder.Append(n == 1 ? "" : ", ");
                    if (item is not null && item.GetType() is { IsGenericType: true } type && type.GetGenericTypeDefinition() == typeof(KeyValuePair<,>))
                    {
                        // A read-only dictionary's pair prints "[key, value]": shown as "key: value" inside braces.
                        pairs = true;
                        var text = item.ToString()!;
                        var comma = text.IndexOf(", ", StringComparison.Ordinal);
                        builder.Append(comma > 0 ? string.Concat(text.AsSpan(1, comma - 1), ": ", text.AsSpan(comma + 2, text.Length - comma - 3)) : text);
                    }
                    else
                    {
                        Append(builder, item);
                    }
                }

                builder.Append(pairs ? '}' : ']');
                if (pairs)
                {
                    builder[open] = '{';
                }

                break;
            case IFormattable formattable:
                builder.Append(formattable.ToString(null, CultureInfo.InvariantCulture));
                break;
            default:
                builder.Append(value);
                break;
        }
    }
}
