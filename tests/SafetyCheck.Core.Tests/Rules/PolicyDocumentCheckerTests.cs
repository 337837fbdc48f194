using SafetyCheck.Core.Rules;
using SafetyCheck.Core.Tests.Support;

namespace SafetyCheck.Core.Tests.Rules;

/// <summary>The policy document cross-check: every rule named in a 'rule ids' column, every id named there a rule.</summary>
public class PolicyDocumentCheckerTests
{
    private static readonly string Rules = string.Join(",\n",
        Fixtures.Rule("fever", "child.Has(\"fever\")", conditions: "\"fever\""),
        Fixtures.Rule("eczema", "child.Has(\"eczema\")", "SUITABLE_WITH_PRECAUTIONS", "CAUTION", "\"eczema\""));

    private const string Policy = """
        # Policy

        | row | trigger | rule ids |
        |---|---|:--|
        | fever | temperature | `fever` |
        | eczema | dermatitis | `eczema`, `unrecognized-condition` |

        Text that mentions `not-a-rule` outside the column is not read.

        | id | rule ids |
        | --- | --- |
        | unknown codes | `unrecognized-resolved-condition` |
        | nothing yet | — |
        """;

    private static (RuleSet RuleSet, TempRuleDirectory Directory) Load(string? policyPath = "POLICY.md", string? policy = Policy)
    {
        var dir = TempRuleDirectory.WithRules(Rules);
        dir.Write("ruleset.json", Fixtures.Manifest(policy: policyPath));
        if (policy is not null)
        {
            dir.Write("POLICY.md", policy);
        }

        var result = RuleSetLoader.Load(dir.Path);
        Assert.True(result.Succeeded, string.Join("\n", result.Diagnostics));
        return (result.RuleSet, dir);
    }

    private static string[] Check(string policy)
    {
        var (ruleSet, dir) = Load(policy: policy);
        using (dir)
        {
            return [.. RuleSetReview.Run(ruleSet, RuleSetReview.ReadPolicyText(ruleSet)).Select(d => d.ToString())];
        }
    }

    [Fact]
    public void Check_DocumentNamingEveryRule_IsClean()
    {
        var (ruleSet, dir) = Load();
        using (dir)
        {
            Assert.Equal(new PolicyReference("POLICY.md", 5, 13), ruleSet.Policy);
            Assert.Empty(PolicyDocumentChecker.Check(ruleSet, RuleSetReview.ReadPolicyText(ruleSet)));
        }
    }

    [Fact]
    public void Check_IdThatIsNoRule_IsAnErrorAtTheIdInTheDocument()
    {
        var diagnostics = Check(Policy.Replace("`fever` |", "`fever`, `fevre` |", StringComparison.Ordinal));

        Assert.Equal(["POLICY.md:5:35: error: 'fevre' is not a rule id of this rule set"], diagnostics);
    }

    [Fact]
    public void Check_RuleMissingFromTheDocument_IsAnErrorAtTheRule()
    {
        var diagnostics = Check(Policy.Replace("`eczema`, ", "", StringComparison.Ordinal));

        var diagnostic = Assert.Single(diagnostics);
        Assert.Matches(@"^rules\.json:\d+:\d+: error: rule 'eczema' is not in POLICY\.md: name it in a 'rule ids' cell of the row it implements$", diagnostic);
    }

    [Fact]
    public void Check_CellNotInTheAgreedForm_IsAnError()
    {
        var diagnostics = Check(Policy.Replace("| `fever` |", "| `fever` and fever-high |", StringComparison.Ordinal));

        Assert.Equal(["POLICY.md:5:25: error: a 'rule ids' cell lists rule ids in backticks separated by commas, e.g. `fever`, `fever-observed`; found 'and fever-high'"], diagnostics);
    }

    [Fact]
    public void Check_DocumentWithoutARuleIdsColumn_IsAnError()
    {
        Assert.Equal(["POLICY.md:0:0: error: the policy document has no table column headed 'rule ids' naming the rules"], Check("# Policy\n\n| a | b |\n|---|---|\n| `fever` | `eczema` |\n"));
    }

    [Fact]
    public void Check_DocumentThatDoesNotExist_IsAnErrorAtThePolicyMember()
    {
        var (ruleSet, dir) = Load(policy: null);
        using (dir)
        {
            Assert.Equal(
                ["ruleset.json:5:13: error: the policy document 'POLICY.md' does not exist in the rule directory"],
                RuleSetReview.Run(ruleSet, RuleSetReview.ReadPolicyText(ruleSet)).Select(d => d.ToString()));
        }
    }

    [Fact]
    public void Check_NoPolicyNamed_ChecksNothing()
    {
        var (ruleSet, dir) = Load(policyPath: null, policy: "nothing");
        using (dir)
        {
            Assert.Null(ruleSet.Policy);
            Assert.Empty(RuleSetReview.Run(ruleSet, RuleSetReview.ReadPolicyText(ruleSet)));
        }
    }

    [Theory]
    [InlineData("../POLICY.md")]
    [InlineData("/etc/POLICY.md")]
    [InlineData("docs\\\\POLICY.md")]
    [InlineData("")]
    public void Load_PolicyPathOutsideTheRuleDirectory_IsALoadError(string path)
    {
        using var dir = TempRuleDirectory.WithRules(Rules);
        dir.Write("ruleset.json", Fixtures.Manifest(policy: path));

        var result = RuleSetLoader.Load(dir.Path);

        Assert.False(result.Succeeded);
        Assert.Contains(result.Diagnostics, d => d.File == "ruleset.json" && d.Line == 5 && d.Message.StartsWith("'policy' must name a file inside the rule directory", StringComparison.Ordinal));
    }

    [Fact]
    public void ReadRows_TablesWithARuleIdsColumn_GiveEachRowWithItsHeadingHeadersCellsAndIds()
    {
        var rows = PolicyDocumentChecker.ReadRows(Policy + "\n## Other\n\n| a | b |\n|---|---|\n| no | ids column |\n");

        Assert.Equal(4, rows.Count);
        var eczema = rows[1];
        Assert.Equal("Policy", eczema.Section);
        Assert.Equal(["row", "trigger", "rule ids"], eczema.Headers);
        Assert.Equal(["eczema", "dermatitis", "`eczema`, `unrecognized-condition`"], eczema.Cells);
        Assert.Equal(["eczema", "unrecognized-condition"], eczema.RuleIds);
        Assert.Equal(6, eczema.Line);
        Assert.Empty(rows[3].RuleIds);
        Assert.Equal(["id", "rule ids"], rows[3].Headers);
    }
}
