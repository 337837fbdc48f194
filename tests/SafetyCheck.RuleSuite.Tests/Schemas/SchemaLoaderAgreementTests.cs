using SafetyCheck.Core.Rules;

namespace SafetyCheck.RuleSuite.Tests.Schemas;

/// <summary>
/// The schemas and the strict loader agree on the fixtures under <c>Schemas/Fixtures/&lt;kind&gt;/</c>: a
/// <c>good-*</c> file passes both; a <c>bad-*</c> file is refused by both; a <c>loader-only-*</c> file is refused by
/// the loader for what a schema cannot say (an expression that does not compile, an id that is not in the catalog,
/// a SNOMED CT check digit, a duplicate across rows or a JSON member given twice) and passes the schema, so the list
/// of what only the loader catches stays explicit.
/// </summary>
public sealed class SchemaLoaderAgreementTests
{
    private static readonly string FixtureFolder = Path.Combine(AppContext.BaseDirectory, "Schemas", "Fixtures");

    private static readonly Dictionary<string, RuleSetFileKind> Kinds = new(StringComparer.Ordinal)
    {
        ["rule"] = RuleSetFileKind.Rules,
        ["ruleset"] = RuleSetFileKind.Manifest,
        ["conditions"] = RuleSetFileKind.Catalog,
        ["cases"] = RuleSetFileKind.Cases,
        ["snomed"] = RuleSetFileKind.SnomedExpansion,
    };

    public static TheoryData<string, string> Fixtures()
    {
        var data = new TheoryData<string, string>();
        foreach (var (folder, file) in FixtureFiles())
        {
            data.Add(folder, file);
        }

        return data;
    }

    private static IEnumerable<(string Folder, string File)> FixtureFiles() =>
        Kinds.Keys.Order(StringComparer.Ordinal).SelectMany(folder =>
            Directory.EnumerateFiles(Path.Combine(FixtureFolder, folder), "*.json").Select(f => (folder, Path.GetFileName(f))).Order());

    [Theory]
    [MemberData(nameof(Fixtures))]
    public void Fixture_SchemaAndLoader_Agree(string folder, string file)
    {
        var kind = Kinds[folder];
        var json = File.ReadAllText(Path.Combine(FixtureFolder, folder, file));

        var loader = SchemaFixtureRuleSet.LoaderProblems(kind, json);
        var schema = RuleSetSchemas.Problems(kind, json);

        var detail = $"{folder}/{file}\nloader:\n  {string.Join("\n  ", loader)}\nschema:\n  {string.Join("\n  ", schema)}";
        if (file.StartsWith("good-", StringComparison.Ordinal))
        {
            Assert.True(loader.Count == 0 && schema.Count == 0, detail);
        }
        else if (file.StartsWith("bad-", StringComparison.Ordinal))
        {
            Assert.True(loader.Count > 0 && schema.Count > 0, detail);
        }
        else
        {
            Assert.StartsWith("loader-only-", file, StringComparison.Ordinal);
            Assert.True(loader.Count > 0 && schema.Count == 0, detail);
        }
    }

    [Fact]
    public void Fixtures_EachKindHasGoodAndBadFiles()
    {
        var rows = FixtureFiles().ToList();

        foreach (var folder in Kinds.Keys)
        {
            Assert.Contains(rows, r => r.Item1 == folder && r.Item2.StartsWith("good-", StringComparison.Ordinal));
            Assert.Contains(rows, r => r.Item1 == folder && r.Item2.StartsWith("bad-", StringComparison.Ordinal));
        }
    }
}
