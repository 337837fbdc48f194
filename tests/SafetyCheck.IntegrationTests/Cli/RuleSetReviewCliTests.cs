using System.Text.RegularExpressions;
using SafetyCheck.Core.Rules;
using SafetyCheck.IntegrationTests.Infrastructure;

namespace SafetyCheck.IntegrationTests.Cli;

/// <summary><c>check</c> and <c>test</c> beyond loading: catalog warnings and the policy document cross-check.</summary>
public sealed partial class RuleSetReviewCliTests
{
    [Fact]
    public async Task Check_CatalogPatternTakingCodesFromAnotherRow_WarnsButExits0()
    {
        var rules = TestPaths.CopyOfRules();
        await TestPaths.AddConditionAsync(rules, """{ "id": "vaccine-reaction", "display": "Vaccine reaction", "icd10": ["T88.1"] }""");

        var run = await CliRun.InvokeAsync(["check", "--rules", rules]);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Matches(@"conditions\.json:\d+:\d+: warning: ICD-10-CM pattern 'T88\.1' of 'vaccine-reaction' takes \d+ codes? that '[^']+' of 'injury-sequela' would otherwise match, e\.g\. [^;]*T88\.1XXS", run.Error);
        Assert.StartsWith("ok: ", run.Output, StringComparison.Ordinal);
        Assert.Contains("ICD-10-CM FY2026 (98186 codes)", run.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(": error: ", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Check_WarningsAsErrors_Exits1()
    {
        var rules = TestPaths.CopyOfRules();
        await TestPaths.AddConditionAsync(rules, """{ "id": "vaccine-reaction", "display": "Vaccine reaction", "icd10": ["T88.1"] }""");

        var run = await CliRun.InvokeAsync(["check", "--rules", rules, "--warnings-as-errors"]);

        Assert.True(run.ExitCode == 1, run.ToString());
        Assert.Contains("warning: ICD-10-CM pattern 'T88.1'", run.Error, StringComparison.Ordinal);
        Assert.Matches(@"\d+ warnings? in the rule set at ", run.Error);
    }

    [Fact]
    public async Task Check_MalformedExpansion_Exits1WithFileLineAndColumn()
    {
        var rules = TestPaths.CopyOfRules();
        Directory.CreateDirectory(Path.Combine(rules, "terminology", "snomed"));
        await File.WriteAllTextAsync(Path.Combine(rules, "terminology", "snomed", "128188000.json"), "{\n  \"concept\": \"128188000\",\n  \"display\": \"Cerebral palsy\",\n  \"sources\": [\n");

        var run = await CliRun.InvokeAsync(["check", "--rules", rules]);

        Assert.True(run.ExitCode == 1, run.ToString());
        Assert.Matches(@"terminology/snomed/128188000\.json:5:1: error: unexpected end of file", run.Error);
    }

    [Fact]
    public async Task Check_ShippedPolicyDocument_AgreesWithTheRules()
    {
        var run = await CliRun.InvokeAsync(["check", "--rules", TestPaths.Rules]);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("\"policy\": \"POLICY.md\"", await File.ReadAllTextAsync(Path.Combine(TestPaths.Rules, "ruleset.json")), StringComparison.Ordinal);
        Assert.DoesNotContain("POLICY.md:", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CheckAndTest_PolicyDocumentDisagreeingWithTheRules_Fail()
    {
        var rules = TestPaths.CopyOfRules();
        var ids = RuleSetLoader.Load(rules).RuleSet!.Rules.Select(r => r.RuleId).ToList();
        var manifest = Path.Combine(rules, "ruleset.json");
        var manifestText = await File.ReadAllTextAsync(manifest);
        if (!manifestText.Contains("\"policy\": \"POLICY.md\"", StringComparison.Ordinal))
        {
            await File.WriteAllTextAsync(manifest, FirstMember().Replace(manifestText, "{\n  \"policy\": \"POLICY.md\",", 1));
        }

        var named = ids.Skip(1).Append("no-such-rule").Select(id => $"| row | `{id}` |");
        await File.WriteAllTextAsync(Path.Combine(rules, "POLICY.md"), $"# Policy\n\n| row | rule ids |\n|---|---|\n{string.Join("\n", named)}\n");

        var check = await CliRun.InvokeAsync(["check", "--rules", rules]);
        var test = await CliRun.InvokeAsync(["test", "--rules", rules]);

        Assert.True(check.ExitCode == 1, check.ToString());
        Assert.Contains($"POLICY.md:{ids.Count + 4}:10: error: 'no-such-rule' is not a rule id of this rule set", check.Error, StringComparison.Ordinal);
        Assert.Matches($@"\.json:\d+:\d+: error: rule '{Regex.Escape(ids[0])}' is not in POLICY\.md", check.Error);
        Assert.True(test.ExitCode == 2, test.ToString());
        Assert.Contains("'no-such-rule' is not a rule id of this rule set", test.Error, StringComparison.Ordinal);
    }

    [GeneratedRegex(@"^\{", RegexOptions.Multiline)]
    private static partial Regex FirstMember();
}
