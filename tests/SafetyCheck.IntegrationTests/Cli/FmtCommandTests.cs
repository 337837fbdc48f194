using SafetyCheck.IntegrationTests.Infrastructure;

namespace SafetyCheck.IntegrationTests.Cli;

/// <summary><c>fmt</c> and <c>fmt --check</c> over a rule directory.</summary>
public sealed class FmtCommandTests
{
    private const string Scrambled = """
        {"Rules": [], "WorkflowName": "scrambled"}
        """;

    [Fact]
    public async Task FmtCheck_FileNotInTheLayout_IsListedAndExits1_AndChangesNothing()
    {
        var rules = TestPaths.CopyOfRules();
        var path = Path.Combine(rules, "scrambled.json");
        await File.WriteAllTextAsync(path, Scrambled);

        var run = await CliRun.InvokeAsync(["fmt", "--check", "--rules", rules]);

        Assert.True(run.ExitCode == 1, run.ToString());
        Assert.Contains(run.Output.Split('\n'), l => l.EndsWith("scrambled.json", StringComparison.Ordinal));
        Assert.Contains("not in the canonical layout", run.Error, StringComparison.Ordinal);
        Assert.Equal(Scrambled, await File.ReadAllTextAsync(path));
    }

    [Fact]
    public async Task Fmt_RewritesTheFiles_ThenCheckExits0_AndTheRuleSetStillPasses()
    {
        var rules = TestPaths.CopyOfRules();
        await File.WriteAllTextAsync(Path.Combine(rules, "scrambled.json"), Scrambled);

        var format = await CliRun.InvokeAsync(["fmt", "--rules", rules]);
        var check = await CliRun.InvokeAsync(["fmt", "--check", "--rules", rules]);
        var test = await CliRun.InvokeAsync(["test", "--rules", rules]);

        Assert.True(format.ExitCode == 0, format.ToString());
        Assert.Equal("{\n  \"WorkflowName\": \"scrambled\",\n  \"Rules\": []\n}\n", await File.ReadAllTextAsync(Path.Combine(rules, "scrambled.json")));
        Assert.True(check.ExitCode == 0, check.ToString());
        Assert.Equal("", check.Output);
        Assert.True(test.ExitCode == 0, test.ToString());
    }

    [Fact]
    public async Task Fmt_FileThatCannotBeFormatted_IsReportedAndExits2()
    {
        var rules = TestPaths.CopyOfRules();
        await File.WriteAllTextAsync(Path.Combine(rules, "broken.json"), "{ \"WorkflowName\": \"b\", \"Rules\": [ }");

        var run = await CliRun.InvokeAsync(["fmt", "--check", "--rules", rules]);

        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Matches(@"broken\.json:1:\d+: error: invalid JSON", run.Error);
    }
}
