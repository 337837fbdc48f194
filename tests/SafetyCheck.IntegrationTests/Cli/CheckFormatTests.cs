using System.Text.Json;
using SafetyCheck.IntegrationTests.Infrastructure;

namespace SafetyCheck.IntegrationTests.Cli;

/// <summary><c>check --format json|sarif</c>: the same findings as the text, for tools; SARIF valid against the OASIS 2.1.0 schema.</summary>
public sealed class CheckFormatTests
{
    private static readonly Lazy<NJsonSchema.JsonSchema> SarifSchema = new(() =>
        NJsonSchema.JsonSchema.FromJsonAsync(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Cli", "Fixtures", "sarif-schema-2.1.0.json"))).GetAwaiter().GetResult());

    /// <summary>A copy of the shipped rules with one expression that does not compile and one misspelt property.</summary>
    private static async Task<string> BrokenCopyAsync()
    {
        var rules = TestPaths.CopyOfRules();
        await File.WriteAllTextAsync(Path.Combine(rules, "broken.json"), """
            {
              "WorkflowName": "broken",
              "Rules": [
                {
                  "RuleName": "broken-expression",
                  "Expression": "child.Has(\"fever\") && ((",
                  "Severty": "high",
                  "Properties": { "outcome": "SUITABLE", "severity": "INFO", "summary": "S.", "detail": "D.", "conditions": ["fever"],
                    "evidence": { "grade": "D", "citations": [ { "title": "Synthetic", "year": 2020, "url": "" } ] } }
                }
              ]
            }
            """);
        return rules;
    }

    private static IReadOnlyList<string> SarifProblems(string sarif) =>
        [.. SarifSchema.Value.Validate(sarif).Select(e => $"{e.Path}: {e.Kind}")];

    [Fact]
    public async Task Check_MissingRuleDirectory_TextNamesTheDirectoryWithoutAPosition()
    {
        var missing = Path.Combine(TestPaths.EmptyDirectory(), "no-such-rules");

        var run = await CliRun.InvokeAsync(["check", "--rules", missing]);

        Assert.True(run.ExitCode == 1, run.ToString());
        Assert.Contains($"{missing}: error: rule directory not found", run.Error, StringComparison.Ordinal);
        Assert.DoesNotContain(":0:0", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Check_FormatJson_ListsEveryDiagnosticWithItsPosition_AndExitsAsText()
    {
        var rules = await BrokenCopyAsync();

        var run = await CliRun.InvokeAsync(["check", "--rules", rules, "--format", "json"]);

        Assert.True(run.ExitCode == 1, run.ToString());
        using var document = JsonDocument.Parse(run.Output);
        var root = document.RootElement;
        Assert.Equal(JsonValueKind.Null, root.GetProperty("ruleset").ValueKind);
        Assert.False(root.GetProperty("ok").GetBoolean());
        var diagnostics = root.GetProperty("diagnostics").EnumerateArray().ToList();
        Assert.Equal(root.GetProperty("errors").GetInt32(), diagnostics.Count(d => d.GetProperty("severity").GetString() == "error"));
        var unknown = Assert.Single(diagnostics, d => d.GetProperty("message").GetString()!.StartsWith("unknown property 'Severty'", StringComparison.Ordinal));
        Assert.EndsWith("broken.json", unknown.GetProperty("file").GetString(), StringComparison.Ordinal);
        Assert.Equal(7, unknown.GetProperty("line").GetInt32());
        Assert.Equal(7, unknown.GetProperty("column").GetInt32());
        Assert.Equal("", run.Error);
    }

    [Fact]
    public async Task Check_FormatJson_ShippedRules_NamesTheRevisionAndCounts()
    {
        var run = await CliRun.InvokeAsync(["check", "--rules", TestPaths.Rules, "--format", "json"]);

        Assert.True(run.ExitCode == 0, run.ToString());
        using var document = JsonDocument.Parse(run.Output);
        var ruleset = document.RootElement.GetProperty("ruleset");
        Assert.Matches("^[0-9a-f]{64}$", ruleset.GetProperty("revision").GetString());
        Assert.True(ruleset.GetProperty("rules").GetInt32() > 0);
        Assert.True(document.RootElement.GetProperty("ok").GetBoolean());
    }

    [Fact]
    public async Task Check_FormatSarif_BrokenRules_IsValidSarif210WithAResultAtTheExactColumn()
    {
        var rules = await BrokenCopyAsync();

        var run = await CliRun.InvokeAsync(["check", "--rules", rules, "--format", "sarif"]);

        Assert.True(run.ExitCode == 1, run.ToString());
        var problems = SarifProblems(run.Output);
        Assert.True(problems.Count == 0, string.Join("\n", problems) + "\n" + run.Output);
        using var document = JsonDocument.Parse(run.Output);
        Assert.Equal("2.1.0", document.RootElement.GetProperty("version").GetString());
        var results = document.RootElement.GetProperty("runs")[0].GetProperty("results").EnumerateArray().ToList();
        var expression = Assert.Single(results, r => r.GetProperty("message").GetProperty("text").GetString()!.Contains("does not compile", StringComparison.Ordinal));
        Assert.Equal("error", expression.GetProperty("level").GetString());
        Assert.Equal("rule-set-error", expression.GetProperty("ruleId").GetString());
        var location = expression.GetProperty("locations")[0].GetProperty("physicalLocation");
        Assert.EndsWith("broken.json", location.GetProperty("artifactLocation").GetProperty("uri").GetString(), StringComparison.Ordinal);
        // "Expression": "child.Has(\"fever\") && ((" opens at column 21; the parser stops past the end (character 25),
        // which is 2 columns further in the file for the two escaped quotes: column 21 + 25 + 2.
        Assert.Contains("at character 25 of the expression", expression.GetProperty("message").GetProperty("text").GetString(), StringComparison.Ordinal);
        Assert.Equal(6, location.GetProperty("region").GetProperty("startLine").GetInt32());
        Assert.Equal(48, location.GetProperty("region").GetProperty("startColumn").GetInt32());
    }

    [Fact]
    public async Task Check_FormatSarif_ShippedRules_IsValidSarif210()
    {
        var run = await CliRun.InvokeAsync(["check", "--rules", TestPaths.Rules, "--format", "sarif"]);

        Assert.True(run.ExitCode == 0, run.ToString());
        var problems = SarifProblems(run.Output);
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [Fact]
    public async Task Check_FormatSarif_RuleSetThatDoesNotLoadAtAll_IsValidSarifWithAWholeFileResult()
    {
        var run = await CliRun.InvokeAsync(["check", "--rules", TestPaths.EmptyDirectory(), "--format", "sarif"]);

        Assert.True(run.ExitCode == 1, run.ToString());
        Assert.Empty(SarifProblems(run.Output));
        using var document = JsonDocument.Parse(run.Output);
        var result = document.RootElement.GetProperty("runs")[0].GetProperty("results")[0];
        Assert.False(result.GetProperty("locations")[0].GetProperty("physicalLocation").TryGetProperty("region", out _));
    }

    [Fact]
    public async Task Check_UnknownFormat_IsRefused()
    {
        var run = await CliRun.InvokeAsync(["check", "--rules", TestPaths.Rules, "--format", "xml"]);

        Assert.NotEqual(0, run.ExitCode);
        Assert.Contains("xml", run.Error, StringComparison.Ordinal);
    }
}
