using System.Collections.Immutable;
using System.Reflection;
using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace ListingSync.Sdk.Tests.Docs;

/// <summary>
/// Issue 20: every C# snippet in README.md and docs/ compiles as written — with its own usings, no implicit ones, no
/// variables that appear nowhere — against the SDK's packages, ASP.NET Core and xunit (the snippets' world).
/// A snippet with top-level statements is compiled as a program; one with only declarations as a library.
/// </summary>
public sealed partial class DocsSnippetTests
{
    private static readonly string Root = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "..", ".."));

    private static readonly Lazy<ImmutableArray<MetadataReference>> References = new(() =>
    {
        // The framework (the test host runs on Microsoft.AspNetCore.App) and everything the tests deploy (the SDK's
        // packages and their dependencies, xunit), one assembly per name.
        var paths = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator)
            .Concat(Directory.GetFiles(AppContext.BaseDirectory, "*.dll"))
            .Where(p => !Path.GetFileName(p).StartsWith("ListingSync.Sdk.Tests", StringComparison.Ordinal))
            .GroupBy(p => Path.GetFileNameWithoutExtension(p), StringComparer.OrdinalIgnoreCase)
            .Select(g => g.First());
        return [.. paths.Where(IsAssembly).Select(p => (MetadataReference)MetadataReference.CreateFromFile(p))];

        static bool IsAssembly(string path)
        {
            try
            {
                AssemblyName.GetAssemblyName(path);
                return true;
            }
            catch (BadImageFormatException)
            {
                return false; // a native library
            }
        }
    });

    /// <summary>What <c>dotnet new console</c> gives every project (ImplicitUsings): nothing from the SDK, nothing from ASP.NET.</summary>
    private static readonly SyntaxTree ImplicitUsings = CSharpSyntaxTree.ParseText(
        "global using System; global using System.Collections.Generic; global using System.IO; global using System.Linq; "
        + "global using System.Net.Http; global using System.Threading; global using System.Threading.Tasks;",
        new CSharpParseOptions(LanguageVersion.Preview),
        path: "ImplicitUsings.g.cs");

    public static TheoryData<string> Snippets()
    {
        var data = new TheoryData<string>();
        foreach (var (id, _) in All())
        {
            data.Add(id);
        }

        return data;
    }

    [Fact]
    public void The_docs_have_snippets_to_check()
    {
        var snippets = All().ToList();
        snippets.Count.ShouldBeGreaterThan(8);
        snippets.ShouldContain(s => s.Id.StartsWith("README.md:", StringComparison.Ordinal));
        snippets.ShouldContain(s => s.Id.StartsWith("docs/getting-started.md:", StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Snippets))]
    public void Snippet_compiles_as_written(string id)
    {
        var code = All().Single(s => s.Id == id).Code;
        var tree = CSharpSyntaxTree.ParseText(code, new CSharpParseOptions(LanguageVersion.Preview), path: id);
        var program = tree.GetCompilationUnitRoot().Members.OfType<GlobalStatementSyntax>().Any();
        var compilation = CSharpCompilation.Create(
            "Snippet",
            [tree, ImplicitUsings],
            References.Value,
            new CSharpCompilationOptions(program ? OutputKind.ConsoleApplication : OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));

        var errors = compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).Select(d => d.ToString()).ToList();

        errors.ShouldBeEmpty($"{id} does not compile:\n{code}");
    }

    [Fact]
    public void A_broken_snippet_is_caught()
    {
        // The check itself: a snippet that uses a type without its using must fail.
        var tree = CSharpSyntaxTree.ParseText("var seller = SellerScope.Default;", new CSharpParseOptions(LanguageVersion.Preview), path: "broken");
        var compilation = CSharpCompilation.Create("Snippet", [tree, ImplicitUsings], References.Value, new CSharpCompilationOptions(OutputKind.ConsoleApplication));

        compilation.GetDiagnostics().ShouldContain(d => d.Severity == DiagnosticSeverity.Error && d.Id == "CS0103");
    }

    [Fact]
    public void The_getting_started_page_shows_the_sample_that_ci_runs()
    {
        var page = File.ReadAllText(Path.Combine(Root, "docs", "getting-started.md")).ReplaceLineEndings("\n");
        var program = File.ReadAllText(Path.Combine(Root, "samples", "ListingSync.GettingStarted", "Program.cs")).ReplaceLineEndings("\n");

        page.ShouldContain("```csharp\n" + program + "```", customMessage: "docs/getting-started.md must show samples/ListingSync.GettingStarted/Program.cs verbatim");
    }

    private static IEnumerable<(string Id, string Code)> All()
    {
        var files = new[] { Path.Combine(Root, "README.md") }
            .Concat(Directory.GetFiles(Path.Combine(Root, "docs"), "*.md", SearchOption.AllDirectories))
            .Concat(Directory.GetFiles(Path.Combine(Root, "src"), "README.md", SearchOption.AllDirectories))
            .Order(StringComparer.Ordinal);
        foreach (var file in files)
        {
            var relative = Path.GetRelativePath(Root, file).Replace(Path.DirectorySeparatorChar, '/');
            var text = File.ReadAllText(file).ReplaceLineEndings("\n");
            foreach (Match match in Fence().Matches(text))
            {
                var line = text.AsSpan(0, match.Index).Count('\n') + 1;
                yield return ($"{relative}:{line}", match.Groups["code"].Value);
            }
        }
    }

    [GeneratedRegex(@"^```(?:csharp|cs|c#)[ \t]*\n(?<code>.*?)^```", RegexOptions.Multiline | RegexOptions.Singleline)]
    private static partial Regex Fence();
}
