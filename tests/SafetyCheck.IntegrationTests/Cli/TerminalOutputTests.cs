using SafetyCheck.Cli;
using SafetyCheck.IntegrationTests.Infrastructure;

namespace SafetyCheck.IntegrationTests.Cli;

/// <summary>The authoring verbs print their results only (logs with --verbose), in colour on a terminal only.</summary>
public sealed class TerminalOutputTests
{
    private const string Escape = "\u001b[";

    [Theory]
    [InlineData(false, null, null, true)]
    [InlineData(true, null, null, false)] // redirected: a file, a pipe, CI
    [InlineData(false, "1", null, false)] // NO_COLOR set
    [InlineData(false, "", null, true)] // NO_COLOR empty counts as unset (no-color.org)
    [InlineData(false, null, "dumb", false)]
    [InlineData(false, null, "xterm-256color", true)]
    public void Decide_RedirectionNoColorAndTerm_DecideColour(bool redirected, string? noColor, string? term, bool expected)
    {
        Assert.Equal(expected, TerminalColours.Decide(redirected, noColor, term));
    }

    [Fact]
    public async Task Check_OnATerminal_ColoursErrorsRed()
    {
        var rules = TestPaths.CopyOfRules();
        await File.WriteAllTextAsync(Path.Combine(rules, "extra.cases.json"), """{ "cases": [ { "name": "x", "asof": "2025-01-01T00:00:00Z" } ] }""");

        var coloured = await CliRun.InvokeAsync(["check", "--rules", rules], colour: true);
        var plain = await CliRun.InvokeAsync(["check", "--rules", rules]);

        Assert.Contains(Escape + "1;31merror:" + Escape + "0m", coloured.Error, StringComparison.Ordinal);
        Assert.DoesNotContain(Escape, plain.Error, StringComparison.Ordinal);
        Assert.Contains(": error: unknown property 'asof'", plain.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Test_OnATerminal_ColoursFailRedAndTheSummary()
    {
        var rules = TestPaths.CopyOfRules();
        await File.WriteAllTextAsync(Path.Combine(rules, "extra.cases.json"), """
            { "cases": [ { "name": "wrong", "asOf": "2025-06-01T09:30:00Z",
              "request": { "patient": { "birthDate": "2023-03-01" }, "observations": { "temperatureCelsius": 39.5 } },
              "expect": { "suitability": "SUITABLE" } } ] }
            """);

        var coloured = await CliRun.InvokeAsync(["test", "--rules", rules, "--filter", "wrong"], colour: true);

        Assert.Contains(Escape + "1;31mFAIL" + Escape + "0m ", coloured.Output, StringComparison.Ordinal);
        Assert.Contains(Escape + "1;31m0 passed, 1 failed" + Escape + "0m", coloured.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Check_RealProcess_PrintsNoLogLinesUnlessVerbose()
    {
        var quiet = await RunProcessAsync("check", "--rules", TestPaths.Rules);
        var verbose = await RunProcessAsync("check", "--rules", TestPaths.Rules, "--verbose");

        Assert.True(quiet.ExitCode == 0, quiet.Error);
        Assert.StartsWith("ok: ", quiet.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("Loaded rule set", quiet.Error, StringComparison.Ordinal);
        Assert.DoesNotContain(" info: ", quiet.Error, StringComparison.Ordinal);
        Assert.DoesNotContain(Escape, quiet.Output + quiet.Error, StringComparison.Ordinal); // redirected: no colour
        Assert.Contains("Loaded rule set", verbose.Error, StringComparison.Ordinal);
        Assert.Equal(quiet.Output, verbose.Output);
    }

    [Fact]
    public async Task Eval_RealProcess_PrintsOnlyTheResponseUnlessVerbose()
    {
        var seed = Path.Combine(TestPaths.Seeds, "toddler-with-eczema.json");

        var quiet = await RunProcessAsync("eval", "--rules", TestPaths.Rules, seed);

        Assert.True(quiet.ExitCode == 0, quiet.Error);
        Assert.StartsWith("{", quiet.Output, StringComparison.Ordinal);
        Assert.Equal("", quiet.Error);
    }

    private static Task<(int ExitCode, string Output, string Error)> RunProcessAsync(params string[] args) => CliProcess.RunAsync(args);
}
