using CsCheck;
using SafetyCheck.Core.Rules;
using SafetyCheck.Core.Tests.Support;

namespace SafetyCheck.Core.Tests.Hostile;

/// <summary>A corpus of malformed rule files through the loader: never an exception, always diagnostics or a rule set.</summary>
public class MalformedRuleFileTests
{
    private static readonly string Valid = Fixtures.Workflow("fixture", string.Join(",\n",
        Fixtures.Rule("fever", "child.Has(\"fever\") || child.TemperatureCelsius.AtLeast(feverThresholdCelsius)", conditions: "\"fever\""),
        Fixtures.Rule("eczema", "child.Has(\"eczema\")", "SUITABLE_WITH_PRECAUTIONS", "CAUTION", "\"eczema\"", ",\n \"avoidAreas\": [\"FACE\"]")));

    [Fact]
    public void Load_MutatedRuleFiles_NeverThrow()
    {
        using var dir = TempRuleDirectory.WithRules("");
        var mutation = Gen.Select(Gen.Int[0, Valid.Length - 1], Gen.Int[0, 5], Gen.Char, Gen.Int[0, 3], (at, length, c, kind) => (at, length, c, kind));
        var loaded = 0;
        mutation.Sample(
            m =>
            {
                var text = m.kind switch
                {
                    0 => Valid.Remove(m.at, Math.Min(m.length, Valid.Length - m.at)),
                    1 => Valid.Insert(m.at, new string(m.c, m.length + 1)),
                    2 => Valid[..m.at],
                    _ => Valid.Remove(m.at, 1).Insert(m.at, m.c.ToString()),
                };
                dir.Write("rules.json", text);
                var result = RuleSetLoader.Load(dir.Path);
                Assert.True(result.Succeeded || result.Diagnostics.Count > 0);
                Assert.All(result.Diagnostics, d => Assert.False(string.IsNullOrWhiteSpace(d.Message)));
                if (result.Succeeded)
                {
                    loaded++;
                }
            },
            iter: 300,
            threads: 1);
        Assert.True(loaded < 300);
    }

    public static TheoryData<string> Corpus => new()
    {
        "",
        "null",
        "[]",
        "[{\"WorkflowName\": \"a\", \"Rules\": []}]",
        "{\"WorkflowName\": 5, \"Rules\": {}}",
        "{\"WorkflowName\": \"w\", \"Rules\": [null, 1, \"x\", []]}",
        "{\"WorkflowName\": \"w\", \"Rules\": [{\"RuleName\": \"a\", \"Expression\": \"true\", \"Properties\": []}]}",
        "{\"WorkflowName\": \"w\", \"Rules\": [{\"RuleName\": \"a\", \"Expression\": 1, \"Properties\": {\"outcome\": 1, \"severity\": null, \"summary\": [], \"evidence\": {\"grade\": \"A\", \"citations\": [1]}}}]}",
        "{\"WorkflowName\": \"w\", \"WorkflowName\": \"x\", \"Rules\": []}",
        "{\"WorkflowName\": \"w\", \"Rules\": [], \"GlobalParams\": [{\"Name\": \"x\", \"Expression\": \"1\"}]}",
        "{\"WorkflowName\": \"w\", \"Rules\": [{\"RuleName\": \"a\", \"Rules\": [], \"Operator\": \"And\", \"WorkflowsToInject\": [\"x\"]}]}",
        "{\"WorkflowName\": \"w\", \"Rules\": [{\"RuleName\": \"a\", \"Expression\": \"" + new string('(', 5000) + "\", \"Properties\": {}}]}",
        "{\"WorkflowName\": \"w\", \"Rules\": [{\"RuleName\": \"a\", \"Expression\": \"child.AgeDays > 1e999\", \"Properties\": {}}]}",
        "\uFEFF{\"WorkflowName\": \"w\"}",
        "{\"WorkflowName\": \"w\", \"Rules\": [] } trailing",
        new string('[', 10000),
    };

    [Theory]
    [MemberData(nameof(Corpus))]
    public void Load_MalformedRuleFile_ReportsDiagnostics(string text)
    {
        using var dir = TempRuleDirectory.WithRules(Fixtures.Rule("fever", "child.Has(\"fever\")", conditions: "\"fever\""));
        dir.Write("bad.json", text);

        var result = RuleSetLoader.Load(dir.Path);

        Assert.False(result.Succeeded);
        Assert.Contains(result.Diagnostics, d => d.File == "bad.json");
    }
}
