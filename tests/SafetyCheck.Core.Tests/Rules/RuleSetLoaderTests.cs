using SafetyCheck.Core.Rules;
using SafetyCheck.Core.Tests.Support;

namespace SafetyCheck.Core.Tests.Rules;

public class RuleSetLoaderTests
{
    private static readonly string FeverRule = Fixtures.Rule("fever", "child.Has(\"fever\") || child.TemperatureCelsius.AtLeast(feverThresholdCelsius)", conditions: "\"fever\"");
    private static readonly string EczemaRule = Fixtures.Rule("eczema", "child.Has(\"eczema\")", "SUITABLE_WITH_PRECAUTIONS", "CAUTION", "\"eczema\"");
    private static readonly string InfantRule = Fixtures.Rule("infant-pressure", "child.InfantAgeMonths < 12", "SUITABLE", "INFO", extra: ",\n \"maxPressure\": \"MODERATE\"");

    [Fact]
    public void Load_ValidRuleSet_Succeeds()
    {
        using var dir = TempRuleDirectory.WithRules(string.Join(",\n", FeverRule, EczemaRule, InfantRule));

        var result = RuleSetLoader.Load(dir.Path);

        Assert.Empty(result.Diagnostics);
        Assert.True(result.Succeeded);
        Assert.Equal(["fever", "eczema", "infant-pressure"], result.RuleSet.Rules.Select(r => r.RuleId));
        Assert.Matches("^[0-9a-f]{64}$", result.RuleSet.Identity.Revision);
        Assert.Equal("fixture", result.RuleSet.Identity.Name);
    }

    [Fact]
    public void Load_MisspeltPropertyDuplicateIdAndBrokenExpression_ReportsAllThreeAtTheirLines()
    {
        using var dir = new TempRuleDirectory();
        dir.Write("ruleset.json", Fixtures.Manifest());
        dir.Write("conditions.json", Fixtures.Catalog);
        var rules = string.Join(",\n", FeverRule, Fixtures.Rule("eczema", "(((child", "SUITABLE_WITH_PRECAUTIONS", "CAUTION"), EczemaRule.Replace("\"RuleName\": \"eczema\"", "\"RuleName\": \"fever\"", StringComparison.Ordinal));
        var text = Fixtures.Workflow("fixture", rules).Replace("\"Expression\": \"child.Has(\\\"fever\\\")", "\"Severty\": \"high\",\n      \"Expression\": \"child.Has(\\\"fever\\\")", StringComparison.Ordinal);
        dir.Write("rules.json", text);
        var lines = text.Split('\n');
        int LineOf(string needle, int nth = 1) => lines.Select((l, i) => (l, i)).Where(x => x.l.Contains(needle, StringComparison.Ordinal)).Skip(nth - 1).First().i + 1;

        var result = RuleSetLoader.Load(dir.Path);

        Assert.False(result.Succeeded);
        var messages = result.Diagnostics.Select(d => d.ToString()).ToList();
        Assert.Contains(messages, m => m.StartsWith($"rules.json:{LineOf("\"Severty\"")}:7: error: unknown property 'Severty'", StringComparison.Ordinal));
        Assert.Contains(messages, m => m.StartsWith($"rules.json:{LineOf("\"RuleName\": \"fever\"", 2)}:7: error: duplicate rule id 'fever'", StringComparison.Ordinal));
        // The expression string opens at column 21; the error points at the character the parser names inside it.
        var broken = Assert.Single(messages, m => m.StartsWith($"rules.json:{LineOf("(((child")}:", StringComparison.Ordinal));
        var character = int.Parse(System.Text.RegularExpressions.Regex.Match(broken, @"at character (\d+) of the expression").Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        Assert.StartsWith($"rules.json:{LineOf("(((child")}:{21 + character}: error: rule 'eczema': expression does not compile", broken, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_RuleWithAMisspeltPropertyAndABrokenExpression_ReportsBothInPositionOrder()
    {
        var text = Fixtures.Rule("eczema", "child.Has(\"eczema\") &&", "SUITABLE_WITH_PRECAUTIONS", "CAUTION", "\"eczema\"")
            .Replace("\"summary\":", "\"sumary\":", StringComparison.Ordinal);
        using var dir = TempRuleDirectory.WithRules(text);

        var result = RuleSetLoader.Load(dir.Path);

        Assert.False(result.Succeeded);
        var property = Assert.Single(result.Diagnostics, d => d.Message.Contains("'sumary'", StringComparison.Ordinal));
        var expression = Assert.Single(result.Diagnostics, d => d.Message.Contains("rule 'eczema': expression does not compile", StringComparison.Ordinal));
        Assert.True(expression.Line > 0 && property.Line > 0, string.Join("\n", result.Diagnostics));
        var order = result.Diagnostics.Select(d => (d.File, d.Line, d.Column)).ToList();
        Assert.Equal(order.OrderBy(p => p.File, StringComparer.Ordinal).ThenBy(p => p.Line).ThenBy(p => p.Column), order);
    }

    [Fact]
    public void Load_BadProperties_ReportsEachWithItsPosition()
    {
        var longSummary = new string('x', 141);
        var bad = $$"""
                {
                  "RuleName": "Bad_Id",
                  "Expression": "child.AgeDays < 10",
                  "Properties": {
                    "outcome": "MAYBE",
                    "summary": "{{longSummary}}",
                    "detail": "d",
                    "avoidAreas": ["TUMMY"],
                    "maxPressure": "HARD",
                    "evidence": { "grade": "E", "citations": [] }
                  }
                }
            """;
        using var dir = TempRuleDirectory.WithRules(bad);

        var result = RuleSetLoader.Load(dir.Path);

        var messages = string.Join("\n", result.Diagnostics);
        Assert.Contains("rule id 'Bad_Id' must be lower-case kebab-case", messages, StringComparison.Ordinal);
        Assert.Contains("the Properties of rule 'Bad_Id': 'outcome' must be one of", messages, StringComparison.Ordinal);
        Assert.Contains("is missing required property 'severity'", messages, StringComparison.Ordinal);
        Assert.Contains("'summary' has 141 characters; at most 140", messages, StringComparison.Ordinal);
        Assert.Contains("'TUMMY' is not a body area", messages, StringComparison.Ordinal);
        Assert.Contains("'maxPressure' must be one of", messages, StringComparison.Ordinal);
        Assert.Contains("'grade' must be", messages, StringComparison.Ordinal);
        Assert.Contains("at least one citation", messages, StringComparison.Ordinal);
        Assert.All(result.Diagnostics, d => Assert.True(d.Line > 0 && d.Column > 0, d.ToString()));
    }

    [Theory]
    [InlineData("child.Has(\"eczema\")", "", "the expression tests 'eczema' but 'conditions' does not list it")]
    [InlineData("child.AgeDays < 5", "\"eczema\"", "'conditions' lists 'eczema' but the expression never tests it")]
    [InlineData("child.Has(\"psoriasis\")", "\"psoriasis\"", "'psoriasis' is not an id in conditions.json")]
    [InlineData("child.AgeDays < unknownParameter", "", "expression does not compile")]
    [InlineData("child.Setting == \"ICU\"", "", "child.Setting is never \"ICU\"")]
    [InlineData("child.PlansArea(\"TUMMY\")", "", "PlansArea(\"TUMMY\"): not a body area")]
    [InlineData("child.agedays < 5", "", "expression does not compile")]
    [InlineData("child.AgeDays + 1", "", "expression does not compile")]
    public void Load_ExpressionProblems_AreLoadErrors(string expression, string conditions, string expected)
    {
        using var dir = TempRuleDirectory.WithRules(Fixtures.Rule("r", expression, conditions: conditions));

        var result = RuleSetLoader.Load(dir.Path);

        Assert.False(result.Succeeded);
        Assert.Contains(result.Diagnostics, d => d.Message.Contains(expected, StringComparison.Ordinal) && d.File == "rules.json" && d.Line > 0);
    }

    [Fact]
    public void Load_MissingManifestAndCatalog_ReportsBoth()
    {
        using var dir = new TempRuleDirectory();
        dir.Write("rules.json", Fixtures.Workflow("fixture", FeverRule));

        var result = RuleSetLoader.Load(dir.Path);

        Assert.Contains(result.Diagnostics, d => d.File == "ruleset.json");
        Assert.Contains(result.Diagnostics, d => d.File == "conditions.json");
    }

    [Fact]
    public void Load_InvalidJson_ReportsTheSyntaxErrorPosition()
    {
        using var dir = TempRuleDirectory.WithRules(FeverRule);
        dir.Write("broken.json", "{\n  \"WorkflowName\": \"b\",\n  \"Rules\": [ { \"RuleName\": \"x\" \n");

        var result = RuleSetLoader.Load(dir.Path);

        var diagnostic = Assert.Single(result.Diagnostics);
        Assert.Equal("broken.json", diagnostic.File);
        Assert.StartsWith("unexpected end of file", diagnostic.Message, StringComparison.Ordinal);
        Assert.True(diagnostic.Line >= 3);
    }

    [Fact]
    public void Revision_IgnoresLineEndingsAndCases_ButNotContent()
    {
        using var a = TempRuleDirectory.WithRules(FeverRule);
        using var b = TempRuleDirectory.WithRules(FeverRule);
        File.WriteAllText(Path.Combine(b.Path, "rules.json"), File.ReadAllText(Path.Combine(b.Path, "rules.json")).Replace("\n", "\r\n", StringComparison.Ordinal));
        b.Write("rules.cases.json", "{ \"cases\": [] }");
        using var c = TempRuleDirectory.WithRules(FeverRule.Replace("Summary of", "Summary for", StringComparison.Ordinal));

        var ra = RuleSetLoader.Load(a.Path).RuleSet!.Identity.Revision;
        var rb = RuleSetLoader.Load(b.Path).RuleSet!.Identity.Revision;
        var rc = RuleSetLoader.Load(c.Path).RuleSet!.Identity.Revision;

        Assert.Equal(ra, rb);
        Assert.NotEqual(ra, rc);
    }

    [Fact]
    public void RevisionHasher_HashesPathNewlineAndNormalisedBytes()
    {
        RuleSetFile[] files = [new("b.json", "x\r\ny"u8.ToArray()), new("a.json", "1"u8.ToArray())];

        var revision = RevisionHasher.Compute(files);

        var expected = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData("a.json\n1b.json\nx\ny"u8.ToArray()));
        Assert.Equal(expected, revision);
    }
}
