using System.Globalization;
using ListingSync.Sdk.Model;

namespace ListingSync.Sdk.Benchmarks;

/// <summary>
/// The planning benchmarks' records: N desired listings against N remote ones carrying the host reference, every tenth
/// price different (10 % drift). The strings are made once ahead, so the streams allocate only the records.
/// </summary>
internal sealed class PlanInputs
{
    private static readonly ListingCondition Condition = ListingCondition.NearMint;
    private readonly string[] _references;
    private readonly string[] _ids;
    private readonly string[] _urns;

    public PlanInputs(int n)
    {
        N = n;
        _references = new string[n];
        _ids = new string[n];
        _urns = new string[n];
        for (var i = 0; i < n; i++)
        {
            _references[i] = "prod-" + i.ToString("D7", CultureInfo.InvariantCulture);
            _ids[i] = "lst_" + i.ToString(CultureInfo.InvariantCulture);
            _urns[i] = $"urn:managem:pokemon:set/gen-{i / 250}/card/{i % 250}";
        }
    }

    public int N { get; }

    public async IAsyncEnumerable<ListingDraft> Desired()
    {
        for (var i = 0; i < N; i++)
        {
            yield return new ListingDraft
            {
                Reference = _references[i],
                Item = ItemIdentity.FromUrn(_urns[i]),
                Condition = Condition,
                Language = "English",
                Price = Money.Gbp(i % 10 == 0 ? 2.00m : 1.00m),
                Quantity = 1,
            };
        }

        await Task.CompletedTask;
    }

    public async IAsyncEnumerable<Listing> Remote()
    {
        for (var i = 0; i < N; i++)
        {
            yield return new Listing
            {
                Id = _ids[i],
                Reference = _references[i],
                Item = new ItemIdentity { Urn = _urns[i], Game = "Pokemon", Set = "gen", Number = _ids[i] },
                Condition = Condition,
                Language = "English",
                Price = Money.Gbp(1.00m),
                Quantity = 1,
            };
        }

        await Task.CompletedTask;
    }
}
