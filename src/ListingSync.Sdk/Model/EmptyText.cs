using System.Collections.ObjectModel;

namespace ListingSync.Sdk.Model;

/// <summary>The shared empty map for text per language and other string maps of the model.</summary>
internal static class EmptyText
{
    public static IReadOnlyDictionary<string, string> Instance { get; } = ReadOnlyDictionary<string, string>.Empty;

    public static IReadOnlyDictionary<string, int> Quantities { get; } = ReadOnlyDictionary<string, int>.Empty;

    public static IReadOnlyDictionary<string, System.Text.Json.JsonElement> Extensions { get; } = ReadOnlyDictionary<string, System.Text.Json.JsonElement>.Empty;
}
