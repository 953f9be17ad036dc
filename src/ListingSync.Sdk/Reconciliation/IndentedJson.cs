using System.Text;
using System.Text.Json;

namespace ListingSync.Sdk.Reconciliation;

/// <summary>The indented JSON the plans and reports write (<c>ToJson()</c>).</summary>
internal static class IndentedJson
{
    public static string Write(Action<Utf8JsonWriter> write)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            write(json);
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }
}
