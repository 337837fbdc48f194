using System.Xml.Linq;
using SafetyCheck.IntegrationTests.Infrastructure;

namespace SafetyCheck.IntegrationTests.Cli;

/// <summary><c>test --filter</c> and <c>test --junit</c>.</summary>
public sealed class TestCommandCiTests
{
    private const string FailingCase = """
        { "cases": [ {
          "name": "deliberately wrong",
          "asOf": "2025-06-01T09:30:00Z",
          "request": { "patient": { "birthDate": "2023-03-01" }, "observations": { "temperatureCelsius": 39.5 } },
          "expect": { "suitability": "SUITABLE", "rules": ["fever"] } } ] }
        """;

    private static string[] CaseLines(string output) =>
        [.. output.Split('\n').Where(l => l.StartsWith("PASS ", StringComparison.Ordinal) || l.StartsWith("FAIL ", StringComparison.Ordinal) || l.StartsWith("TODO ", StringComparison.Ordinal))];

    [Fact]
    public async Task Test_FilterByRuleId_RunsTheCasesWhoseExpectationsNameIt()
    {
        var run = await CliRun.InvokeAsync(["test", "--rules", TestPaths.Rules, "--filter", "fever"]);

        Assert.True(run.ExitCode == 0, run.ToString());
        var lines = CaseLines(run.Output);
        Assert.NotEmpty(lines);
        Assert.All(lines, l => Assert.StartsWith("PASS ", l, StringComparison.Ordinal));
        var summary = System.Text.RegularExpressions.Regex.Match(run.Output, @"(?m)^(\d+) passed, 0 failed");
        Assert.Equal(lines.Length, int.Parse(summary.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture));
        Assert.DoesNotContain("rule coverage", run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Test_FilterByFileName_RunsOnlyThatFilesCases()
    {
        var run = await CliRun.InvokeAsync(["test", "--rules", TestPaths.Rules, "--filter", "BENEFITS.cases"]);

        Assert.True(run.ExitCode == 0, run.ToString());
        var lines = CaseLines(run.Output);
        Assert.NotEmpty(lines);
        Assert.All(lines, l => Assert.Contains("benefits.cases.json:", l, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Test_FilterByCaseName_SelectsAFailingCaseAndExits2()
    {
        var rules = TestPaths.CopyOfRules();
        await File.WriteAllTextAsync(Path.Combine(rules, "extra.cases.json"), FailingCase);

        var run = await CliRun.InvokeAsync(["test", "--rules", rules, "--filter", "Deliberately"]);

        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Equal(["FAIL " + RelativeTo(rules, "extra.cases.json") + ":1: deliberately wrong"], CaseLines(run.Output));
        Assert.Matches(@"(?m)^0 passed, 1 failed$", run.Output);
    }

    [Fact]
    public async Task Test_FilterThatMatchesNothing_Exits1()
    {
        var run = await CliRun.InvokeAsync(["test", "--rules", TestPaths.Rules, "--filter", "no case is called this"]);

        Assert.True(run.ExitCode == 1, run.ToString());
        Assert.Contains("no case matches", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Test_Junit_WritesOneTestcasePerCase_WithTheFailure()
    {
        var rules = TestPaths.CopyOfRules();
        await File.WriteAllTextAsync(Path.Combine(rules, "extra.cases.json"), FailingCase);
        var junit = Path.Combine(Path.GetTempPath(), "safetycheck-tests", Path.GetRandomFileName(), "results", "rules.xml");

        var run = await CliRun.InvokeAsync(["test", "--rules", rules, "--junit", junit]);

        Assert.True(run.ExitCode == 2, run.ToString());
        var document = XDocument.Load(junit);
        var root = document.Root!;
        Assert.Equal("testsuites", root.Name.LocalName);
        var passed = int.Parse(System.Text.RegularExpressions.Regex.Match(run.Output, @"(?m)^(\d+) passed, 1 failed").Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        var cases = root.Elements("testsuite").Where(s => s.Attribute("name")!.Value.EndsWith(".cases.json", StringComparison.Ordinal)).SelectMany(s => s.Elements("testcase")).ToList();
        Assert.Equal(passed + 1, cases.Count);
        var failed = Assert.Single(cases, c => c.Element("failure") is not null);
        Assert.Equal("deliberately wrong", failed.Attribute("name")!.Value);
        Assert.Equal("extra", failed.Attribute("classname")!.Value);
        Assert.Equal("1", failed.Attribute("line")!.Value);
        Assert.StartsWith("verdict NOT_SUITABLE, expected SUITABLE", failed.Element("failure")!.Attribute("message")!.Value, StringComparison.Ordinal);
        var checks = root.Elements("testsuite").Single(s => s.Attribute("name")!.Value == "the rule set");
        Assert.Equal(2, checks.Elements("testcase").Count());
        Assert.Equal((passed + 1 + 2).ToString(System.Globalization.CultureInfo.InvariantCulture), root.Attribute("tests")!.Value);
        Assert.Equal("1", root.Attribute("failures")!.Value);
    }

    [Fact]
    public async Task Test_JunitWhenTheRuleSetDoesNotLoad_WritesTheErrors()
    {
        var junit = Path.Combine(Path.GetTempPath(), "safetycheck-tests", Path.GetRandomFileName(), "rules.xml");

        var run = await CliRun.InvokeAsync(["test", "--rules", TestPaths.EmptyDirectory(), "--junit", junit]);

        Assert.True(run.ExitCode == 1, run.ToString());
        var root = XDocument.Load(junit).Root!;
        Assert.NotEqual("0", root.Attribute("errors")!.Value);
        Assert.NotEmpty(root.Descendants("error"));
    }

    private static string RelativeTo(string rules, string file)
    {
        var relative = Path.GetRelativePath(Environment.CurrentDirectory, Path.Combine(rules, file));
        return relative.StartsWith("..", StringComparison.Ordinal) ? Path.Combine(rules, file) : relative;
    }
}
