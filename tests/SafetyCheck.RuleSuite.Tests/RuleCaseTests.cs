namespace SafetyCheck.RuleSuite.Tests;

/// <summary>
/// The shipped rule suite, one row per case. Rows are case keys (file and name strings), so xunit can serialise them
/// and reports each case on its own; the case itself is looked up in the suite's run inside the test.
/// </summary>
public sealed class RuleCaseTests
{
    private const string LoadFailed = "(the rule set does not load)";

    public static TheoryData<string, string> Cases()
    {
        var data = new TheoryData<string, string>();
        if (!ShippedSuite.Load.Succeeded)
        {
            data.Add(LoadFailed, "");
            return data;
        }

        foreach (var result in ShippedSuite.Report.Cases)
        {
            data.Add(result.File, result.Name);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Case_GetsItsExpectedVerdictAndRules(string file, string name)
    {
        var report = ShippedSuite.Report;
        Assert.NotEqual(LoadFailed, file);
        var result = Assert.Single(report.Cases, c => c.File == file && c.Name == name);
        if (result.Todo)
        {
            // A todo case documents known work: it is reported by `safetycheck test`, not failed here.
            return;
        }

        Assert.True(result.Passed, $"{file}:{result.Line}: {name}\n" + string.Join("\n", result.Failures));
    }

    [Fact]
    public void Suite_CaseFiles_AreWellFormed()
    {
        var report = ShippedSuite.Report;

        Assert.True(report.Diagnostics.Count == 0, string.Join("\n", report.Diagnostics));
        Assert.NotEmpty(report.Cases);
    }

    [Fact]
    public void Suite_EveryRule_IsFiredByAtLeastOneCase()
    {
        var report = ShippedSuite.Report;

        Assert.True(report.Uncovered.Count == 0, "Rules fired by no case: " + string.Join(", ", report.Uncovered));
        Assert.Equal(ShippedSuite.Load.RuleSet!.Rules.Select(r => r.RuleId).Order(StringComparer.Ordinal), report.Coverage.Keys.Order(StringComparer.Ordinal));
    }
}
