using SafetyCheck.Core.Catalog;
using SafetyCheck.Core.Rules;
using SafetyCheck.Core.Terminology;

namespace SafetyCheck.Core.Tests.Support;

/// <summary>Terminology files for tests: small code tables and expansions with real SNOMED CT ids (synthetic selections).</summary>
internal static class TerminologyFixture
{
    public const string TablePath = "terminology/icd10cm-fy2026.txt";

    /// <summary>A few categories of ICD-10-CM, enough for the catalog tests.</summary>
    public const string Table = """
        # test table
        R50 2 8 81 82 83 84 9
        L20 0 8 81 82 83 84 89 9
        T88 0 0XX/ADS 1 1XX/ADS 6 6XX/ADS
        S42 0 00 001 001/ABDGKPS 4 41 411 411/ABDGKPS
        Z00 0 00 01 1 11 110 111
        Z04 7 71 72
        """;

    public static ExpansionSource Source { get; } = new("test", "Synthetic test selection", "https://example.org/vs", "http://snomed.info/sct/900000000000207008/version/20250101", new DateOnly(2026, 1, 15));

    /// <summary>The text of an expansion file of <paramref name="concept"/>.</summary>
    public static string Expansion(string concept, string display, params (string Code, string Display)[] descendants) =>
        SnomedExpansionWriter.Write(new SnomedExpansion(
            SnomedExpansionWriter.PathOf(concept), concept, display, "", [Source], [.. descendants.Select(d => new SnomedDescendant(d.Code, d.Display, Source.Id))]));

    /// <summary>Loads terminology files, failing the test on any diagnostic.</summary>
    public static TerminologySet Load(params (string Path, string Text)[] files)
    {
        var diagnostics = new List<Diagnostic>();
        var terminology = TerminologyLoader.Load(files, diagnostics);
        Assert.True(diagnostics.Count == 0, string.Join("\n", diagnostics));
        return terminology!;
    }

    /// <summary>A catalog from its JSON and terminology files, failing the test on any diagnostic.</summary>
    public static ConditionCatalog CatalogWith(string json, params (string Path, string Text)[] files)
    {
        var result = CatalogLoader.Parse(json, "conditions.json");
        Assert.True(result.Succeeded, string.Join("\n", result.Diagnostics));
        return result.Catalog.WithTerminology(Load(files));
    }

    public static (string, string) ExpansionFile(string concept, string display, params (string Code, string Display)[] descendants) =>
        (SnomedExpansionWriter.PathOf(concept), Expansion(concept, display, descendants));
}
