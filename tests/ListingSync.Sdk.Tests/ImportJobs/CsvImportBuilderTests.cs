using System.Globalization;
using System.Text;
using CsvHelper;
using CsvHelper.Configuration;
using ListingSync.Sdk.Channels.Managem;
using ListingSync.Sdk.Model;

namespace ListingSync.Sdk.Tests.ImportJobs;

public class CsvImportBuilderTests
{
    private static ListingDraft Draft(string reference, ItemIdentity? item = null, decimal price = 1.50m, int quantity = 2) => new()
    {
        Reference = reference,
        Item = item ?? ItemIdentity.FromUrn("urn:managem:pokemon:set/151/card/25"),
        Condition = ListingCondition.NearMint,
        Language = "English",
        Price = Money.Gbp(price),
        Quantity = quantity,
    };

    private static List<string[]> ReadBack(byte[] file)
    {
        using var reader = new StreamReader(new MemoryStream(file), Encoding.UTF8);
        using var parser = new CsvParser(reader, new CsvConfiguration(CultureInfo.InvariantCulture) { HasHeaderRecord = false });
        var rows = new List<string[]>();
        while (parser.Read())
        {
            rows.Add(parser.Record!);
        }

        return rows;
    }

    private static (byte[] File, CsvImportBuildResult Result) Build(IEnumerable<ListingDraft> drafts, ManagemCsvImportOptions? options = null)
    {
        using var stream = new MemoryStream();
        var result = new ManagemCsvImportBuilder(options).Write(drafts, stream);
        return (stream.ToArray(), result);
    }

    [Fact]
    public void The_file_has_the_exact_header_and_column_order_and_maps_every_field()
    {
        var drafts = new[]
        {
            Draft("  sku-1  ") with { Variants = ["holo", "1st"], Visibility = ListingVisibility.Hidden, Comment = "Mint, \"as new\"", Notes = "line one\nline two" },
            Draft("sku-2", new ItemIdentity { CardmarketId = 273_001, TcgplayerId = 88, Game = "Pokemon", Set = "151", Name = "Pikachu" }, price: 12.34m, quantity: 0),
            Draft("sku-3", new ItemIdentity { TcgplayerId = 88, Game = "Pokemon", Set = "151", Name = "Pikachu" }),
            Draft("sku-4", new ItemIdentity { Game = "Pokemon", Set = "Base Set", Name = "Pikachu, Red Cheeks" }),
        };

        var (file, result) = Build(drafts);

        result.Rejected.ShouldBeEmpty();
        result.RowsWritten.ShouldBe(4);
        Encoding.UTF8.GetString(file).ShouldMatchApproved(c => c.SubFolder("../Approved").WithDiscriminator("import-file"));
        var rows = ReadBack(file);
        string.Join(',', rows[0]).ShouldBe(ManagemCsvImportBuilder.Header);
        rows[1].ShouldBe(["create", "urn:managem:pokemon:set/151/card/25", "", "", "", "", "", "NM", "150", "2", "holo|1st", "true", "Mint, \"as new\"", "line one\nline two", "sku-1"]);
        rows[2][5].ShouldBe("273001", "Cardmarket outranks TCGplayer and game + set + name");
        (rows[2][1], rows[2][6], rows[2][2]).ShouldBe(("", "", ""));
        rows[2][8].ShouldBe("1234");
        rows[3][6].ShouldBe("88");
        rows[4][2..5].ShouldBe(["Pokemon", "Base Set", "Pikachu, Red Cheeks"]);
        file.Take(3).ShouldNotBe(Encoding.UTF8.Preamble.ToArray(), "UTF-8 without a byte-order mark");
    }

    [Fact]
    public void Numbers_are_written_in_the_invariant_culture_whatever_the_thread_culture()
    {
        var previous = CultureInfo.CurrentCulture;
        try
        {
            CultureInfo.CurrentCulture = new CultureInfo("de-DE");
            var (file, _) = Build([Draft("sku-1", price: 1234.5m, quantity: 1500)]);
            ReadBack(file)[1][8..10].ShouldBe(["123450", "1500"]);
        }
        finally
        {
            CultureInfo.CurrentCulture = previous;
        }
    }

    [Theory]
    [InlineData("=HYPERLINK(\"http://x\")")]
    [InlineData("+1+2")]
    [InlineData("-2+3")]
    [InlineData("@SUM(A1)")]
    [InlineData("\tTAB")]
    [InlineData("\rCR")]
    public void Free_text_that_a_spreadsheet_would_run_as_a_formula_is_neutralised(string text)
    {
        var (file, _) = Build([Draft("sku-1", new ItemIdentity { Game = "Pokemon", Set = "151", Name = text }) with { Comment = text, Notes = text }]);

        var row = ReadBack(file)[1];
        row[4].ShouldBe("'" + text, "NAME");
        row[12].ShouldBe("'" + text, "COMMENT");
        row[13].ShouldBe("'" + text, "NOTES");
    }

    [Fact]
    public void Invalid_rows_are_reported_with_the_field_and_rule_and_never_written()
    {
        var drafts = new[]
        {
            Draft("ok-1"),
            Draft("no-identity", new ItemIdentity()),
            Draft("negative", price: -1m),
            Draft("neg-qty", quantity: -3),
            Draft(new string('r', 256)),
            Draft("usd") with { Price = new Money(1m, "USD") },
            Draft("fractional", price: 1.005m),
            Draft("german") with { Language = "German" },
            Draft("graded") with { Grading = new Grading("PSA", "10") },
            Draft("sku-only", new ItemIdentity { Sku = "ABC" }),
            Draft("bad-urn", ItemIdentity.FromUrn("URN:Managem:X")),
            Draft("ok-2"),
        };

        var (file, result) = Build(drafts);

        ReadBack(file).Skip(1).Select(r => r[14]).ShouldBe(["ok-1", "ok-2"]);
        result.RowsWritten.ShouldBe(2);
        var rules = result.Rejected.ToDictionary(r => r.InputIndex, r => string.Join(" ", r.Errors.Select(e => $"{e.Field}:{e.Rule}")));
        rules.ShouldBe(new Dictionary<long, string>
        {
            [1] = "item:identity-required",
            [2] = "price:non-negative",
            [3] = "quantity:non-negative",
            [4] = "reference:max-length",
            [5] = "price.currency:currency",
            [6] = "price:precision",
            [7] = "language:not-importable",
            [8] = "grading:not-importable",
            [9] = "item:identity-not-importable",
            [10] = "item.urn:urn-format",
        });
        result.Rejected.Single(r => r.InputIndex == 2).Reference.ShouldBe("negative");
    }

    [Fact]
    public async Task Large_inputs_are_split_into_files_at_the_row_limit()
    {
        var files = new Dictionary<int, MemoryStream>();
        var builder = new ManagemCsvImportBuilder(new ManagemCsvImportOptions { MaxRowsPerFile = 4 });

        var result = await builder.WriteAsync(Enumerable.Range(0, 11).Select(i => Draft($"sku-{i}", price: i == 5 ? -1 : 1)).ToAsyncEnumerable(), i => files[i] = new MemoryStream());

        result.Files.Select(f => (f.Index, f.Rows, f.FirstInputIndex)).ShouldBe([(0, 4L, 0L), (1, 4L, 4L), (2, 2L, 9L)]);
        result.Rejected.ShouldHaveSingleItem().InputIndex.ShouldBe(5);
        files.Keys.ShouldBe([0, 1, 2]);
        var references = files.OrderBy(f => f.Key).SelectMany(f =>
        {
            var rows = ReadBack(f.Value.ToArray());
            string.Join(',', rows[0]).ShouldBe(ManagemCsvImportBuilder.Header, "every file starts with the header");
            return rows.Skip(1).Select(r => r[14]);
        });
        references.ShouldBe(["sku-0", "sku-1", "sku-2", "sku-3", "sku-4", "sku-6", "sku-7", "sku-8", "sku-9", "sku-10"]);
    }

    [Fact]
    public void One_file_holds_at_most_the_row_limit_and_the_rest_are_rejected_by_row()
    {
        var (file, result) = Build(Enumerable.Range(0, 5).Select(i => Draft($"sku-{i}")), new ManagemCsvImportOptions { MaxRowsPerFile = 3 });

        ReadBack(file).Count.ShouldBe(4);
        result.Rejected.Select(r => (r.InputIndex, r.Errors.Single().Field, r.Errors.Single().Rule)).ShouldBe([(3L, "file", "max-rows"), (4L, "file", "max-rows")]);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(2_000_001)]
    public void A_row_limit_outside_managems_range_is_refused(int rows) =>
        Should.Throw<ArgumentOutOfRangeException>(() => new ManagemCsvImportBuilder(new ManagemCsvImportOptions { MaxRowsPerFile = rows })).Message.ShouldContain("2,000,000");

    [Fact]
    public void The_row_error_report_reads_back_into_typed_errors_linked_to_the_row_and_its_reference()
    {
        var issues = new[]
        {
            new Channels.ImportJobIssue("ime_1", "404", "line 3: no catalogue item matches", "create,urn:managem:x,,,,,,NM,150,2,,false,\"a, \"\"quoted\"\"\nnote\",,sku-7"),
            new Channels.ImportJobIssue("ime_2", "400", "PRICE is not a number", null),
        };

        var errors = ManagemImportRowError.Read("imp_1", issues);

        errors[0].Reference.ShouldBe("sku-7");
        errors[0].Urn.ShouldBe("urn:managem:x");
        errors[0].RowNumber.ShouldBe(3);
        errors[0]["COMMENT"].ShouldBe("a, \"quoted\"\nnote");
        errors[0].Code.ShouldBe("404");
        errors[1].Reference.ShouldBeNull();
        errors[1].RowNumber.ShouldBeNull();
        errors[1].Message.ShouldBe("PRICE is not a number");
    }
}
