using System.Text;
using SafetyCheck.Core.Rules;
using SafetyCheck.Core.Tests.Support;
using static SafetyCheck.Core.Tests.Support.TerminologyFixture;

namespace SafetyCheck.Core.Tests.Rules;

/// <summary>The editors' <c>$schema</c> member: accepted at the top of every file, refused elsewhere, and never a decision.</summary>
public class SchemaMemberTests
{
    private static readonly string FeverRule = Fixtures.Rule("fever", "child.Has(\"fever\")", conditions: "\"fever\"");

    private static string WithSchema(string json, string reference) =>
        "{\n  \"$schema\": \"" + reference + "\"," + json.TrimStart()[1..];

    private static TempRuleDirectory Directory(bool schema)
    {
        var dir = new TempRuleDirectory();
        string Maybe(string json, string reference) => schema ? WithSchema(json, reference) : json;
        var expansion = Expansion("386661006", "Fever", ("248425001", "High fever"));
        dir.Write("ruleset.json", Maybe(Fixtures.Manifest(), "schemas/ruleset.schema.json"));
        dir.Write("conditions.json", Maybe(Fixtures.Catalog, "schemas/conditions.schema.json"));
        dir.Write("rules.json", Maybe(Fixtures.Workflow("fixture", FeverRule), "schemas/rule.schema.json"));
        dir.Write(TablePath, Table);
        // The expansion writer names the schema itself; the plain variant goes without.
        dir.Write("terminology/snomed/386661006.json", schema ? expansion : string.Join('\n', expansion.Split('\n').Where(l => !l.Contains("$schema", StringComparison.Ordinal))));
        dir.Write("schemas/rule.schema.json", """{ "$schema": "https://json-schema.org/draft/2020-12/schema" }""");
        return dir;
    }

    [Fact]
    public void Load_SchemaMemberAtTheTopOfEveryFile_IsAccepted_AndChangesOnlyTheRevision()
    {
        using var plain = Directory(schema: false);
        using var annotated = Directory(schema: true);

        var before = RuleSetLoader.Load(plain.Path);
        var after = RuleSetLoader.Load(annotated.Path);

        Assert.True(after.Succeeded, string.Join("\n", after.Diagnostics));
        Assert.True(before.Succeeded, string.Join("\n", before.Diagnostics));
        // The revision hashes file bytes, so it changes; nothing that decides does.
        Assert.NotEqual(before.RuleSet.Identity.Revision, after.RuleSet.Identity.Revision);
        Assert.Equal(before.RuleSet.Rules.Select(r => (r.RuleId, r.Expression, r.Outcome, r.Summary)), after.RuleSet.Rules.Select(r => (r.RuleId, r.Expression, r.Outcome, r.Summary)));
        Assert.Equal(before.RuleSet.Parameters, after.RuleSet.Parameters);
        Assert.Equal(before.RuleSet.Catalog.Resolve("http://snomed.info/sct", "248425001")?.ConditionId, after.RuleSet.Catalog.Resolve("http://snomed.info/sct", "248425001")?.ConditionId);
    }

    [Fact]
    public void ReadFiles_SchemasFolder_IsNotPartOfTheRevision()
    {
        using var dir = Directory(schema: true);

        var files = RuleSetLoader.ReadFiles(dir.Path);

        Assert.DoesNotContain(files, f => f.Path.StartsWith("schemas/", StringComparison.Ordinal));
    }

    [Fact]
    public void Load_SchemaMemberThatIsNotAString_IsAnErrorAtItsValue()
    {
        using var dir = TempRuleDirectory.WithRules(FeverRule);
        dir.Write("rules.json", "{\n  \"$schema\": 3," + Fixtures.Workflow("fixture", FeverRule).TrimStart()[1..]);
        dir.Write("conditions.json", "{\n  \"$schema\": false," + Fixtures.Catalog.TrimStart()[1..]);

        var result = RuleSetLoader.Load(dir.Path);

        Assert.False(result.Succeeded);
        Assert.Contains(result.Diagnostics, d => d.File == "rules.json" && d.Line == 2 && d.Column == 14 && d.Message.Contains("'$schema'", StringComparison.Ordinal));
        Assert.Contains(result.Diagnostics, d => d.File == "conditions.json" && d.Line == 2 && d.Column == 14 && d.Message.Contains("'$schema'", StringComparison.Ordinal));
    }

    [Fact]
    public void Load_SchemaMemberInsideARule_IsAnUnknownProperty()
    {
        var rule = FeverRule.Replace("\"RuleName\"", "\"$schema\": \"schemas/rule.schema.json\", \"RuleName\"", StringComparison.Ordinal);
        using var dir = TempRuleDirectory.WithRules(rule);

        var result = RuleSetLoader.Load(dir.Path);

        Assert.Contains(result.Diagnostics, d => d.Message.StartsWith("unknown property '$schema' in rule 'fever'", StringComparison.Ordinal));
    }

    [Fact]
    public void Load_SchemaFileGivenInMemory_IsRefusedAsNotARuleSetFile()
    {
        using var dir = Directory(schema: false);
        var files = RuleSetLoader.ReadFiles(dir.Path).Append(new RuleSetFile("schemas/rule.schema.json", Encoding.UTF8.GetBytes("{}")));

        var result = RuleSetLoader.Load(files);

        Assert.Contains(result.Diagnostics, d => d.File == "schemas/rule.schema.json" && d.Message.StartsWith("not a rule-set file", StringComparison.Ordinal));
    }
}
