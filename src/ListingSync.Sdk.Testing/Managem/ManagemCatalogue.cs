using System.Globalization;

namespace ListingSync.Sdk.Testing.Managem;

/// <summary>
/// The emulator's item catalogue: a small built-in set of real trading cards plus generated items
/// (<c>urn:managem:pokemon:set/gen-{n}/card/{i}</c>). External ids cover most but, as on Managem, not all items.
/// </summary>
public sealed class ManagemCatalogue
{
    private readonly Dictionary<string, EmulatedItem> _byUrn = new(StringComparer.Ordinal);
    private readonly Dictionary<long, EmulatedItem> _byCardmarket = [];
    private readonly Dictionary<long, EmulatedItem> _byTcgplayer = [];

    private ManagemCatalogue()
    {
    }

    /// <summary>Every item, built-in first.</summary>
    public IReadOnlyList<EmulatedItem> Items { get; private set; } = [];

    /// <summary>The built-in cards only.</summary>
    public IReadOnlyList<EmulatedItem> BuiltIn { get; private set; } = [];

    internal static ManagemCatalogue Create(int generated, int seed)
    {
        var catalogue = new ManagemCatalogue();
        var builtIn = new List<EmulatedItem>();
        var baseSet = new EmulatedSet { Name = "Base Set", Urn = "urn:managem:pokemon:set/base1" };
        string[] baseCards = ["Alakazam", "Blastoise", "Chansey", "Charizard", "Clefairy", "Gyarados", "Hitmonchan", "Machamp", "Magneton", "Mewtwo", "Nidoking", "Ninetales", "Poliwrath", "Raichu", "Venusaur", "Zapdos"];
        for (var i = 0; i < baseCards.Length; i++)
        {
            var number = (i + 1).ToString(CultureInfo.InvariantCulture);
            builtIn.Add(new EmulatedItem
            {
                Urn = $"urn:managem:pokemon:set/base1/card/{number}",
                Game = "Pokemon",
                Name = baseCards[i],
                Title = $"Base Set: {baseCards[i]}",
                Rarity = "Holo Rare",
                Number = number,
                Set = baseSet,
                CardmarketId = 273_600 + i,
                TcgplayerId = i % 4 == 3 ? null : 42_300 + i,
            });
        }

        // Two Pikachus in one set: game + set + name alone is ambiguous, the number tells them apart.
        builtIn.Add(new EmulatedItem { Urn = "urn:managem:pokemon:set/base1/card/58", Game = "Pokemon", Name = "Pikachu", Number = "58", Rarity = "Common", Set = baseSet, CardmarketId = 273_658, TcgplayerId = 42_358 });
        builtIn.Add(new EmulatedItem { Urn = "urn:managem:pokemon:set/base1/card/58-red-cheeks", Game = "Pokemon", Name = "Pikachu", Number = "58a", Rarity = "Common", Set = baseSet });

        var bloomburrow = new EmulatedSet { Name = "Bloomburrow", Urn = "urn:managem:magic-the-gathering:set/bloomburrow" };
        string[] mtg = ["Maha, Its Feathers Night", "Season of Loss", "Fabled Passage", "Lightning Strike", "Mabel, Heir to Cragflame", "Hazel's Nocturne"];
        for (var i = 0; i < mtg.Length; i++)
        {
            var number = (280 + i).ToString(CultureInfo.InvariantCulture);
            builtIn.Add(new EmulatedItem
            {
                Urn = $"urn:managem:magic-the-gathering:set/bloomburrow/card/{number}",
                Game = "Magic: The Gathering",
                Name = mtg[i],
                Number = number,
                Rarity = "Rare",
                Set = bloomburrow,
                CardmarketId = i % 3 == 2 ? null : 780_000 + i,
                TcgplayerId = 560_000 + i,
            });
        }

        var all = new List<EmulatedItem>(builtIn);
        var random = new Random(seed);
        for (var i = 0; i < generated; i++)
        {
            var setNo = (i / 250) + 1;
            var number = ((i % 250) + 1).ToString(CultureInfo.InvariantCulture);
            var set = new EmulatedSet { Name = $"Generated Set {setNo}", Urn = $"urn:managem:pokemon:set/gen-{setNo}" };
            all.Add(new EmulatedItem
            {
                Urn = $"{set.Urn}/card/{number}",
                Game = "Pokemon",
                Name = $"Generated Card {i + 1}",
                Number = number,
                Rarity = random.Next(4) == 0 ? "Rare" : "Common",
                Set = set,
                CardmarketId = i % 7 == 6 ? null : 1_000_000 + i,
                TcgplayerId = i % 5 == 4 ? null : 2_000_000 + i,
            });
        }

        foreach (var item in all)
        {
            catalogue._byUrn[item.Urn] = item;
            if (item.CardmarketId is { } cm)
            {
                catalogue._byCardmarket[cm] = item;
            }

            if (item.TcgplayerId is { } tp)
            {
                catalogue._byTcgplayer[tp] = item;
            }
        }

        catalogue.Items = all;
        catalogue.BuiltIn = builtIn;
        return catalogue;
    }

    /// <summary>The item with a URN, or null.</summary>
    public EmulatedItem? ByUrn(string urn) => _byUrn.GetValueOrDefault(urn);

    /// <summary>The item with a Cardmarket id, or null.</summary>
    public EmulatedItem? ByCardmarketId(long id) => _byCardmarket.GetValueOrDefault(id);

    /// <summary>The item with a TCGplayer id, or null.</summary>
    public EmulatedItem? ByTcgplayerId(long id) => _byTcgplayer.GetValueOrDefault(id);
}
