using SafetyCheck.IntegrationTests.Infrastructure;

namespace SafetyCheck.IntegrationTests.Cli;

/// <summary>A command line the parser refuses exits 2 with one line naming the problem and one naming the help, whatever the verb.</summary>
public sealed class BadCommandLineTests
{
    [Theory]
    [InlineData("report --output r.html --bogus", "'--bogus'", "report")]
    [InlineData("report --output r.html --from", "'--from'", "report")]
    [InlineData("terminology expand --server http://x --bogus", "'--bogus'", "terminology expand")]
    [InlineData("check --format xml", "--format: 'xml' is not one of text, json, sarif", "check")]
    [InlineData("impact --format xml", "--format: 'xml' is not one of text, json", "impact")]
    [InlineData("eval --bogus seeds/x.json", "'--bogus'", "eval")]
    [InlineData("eval --bogus", "'--bogus'", "eval")]
    [InlineData("eval --fhir F --at A --at B", "'--at'", "eval")]
    [InlineData("test --bogus", "'--bogus'", "test")]
    [InlineData("fmt --bogus", "'--bogus'", "fmt")]
    [InlineData("fmt --check --bogus", "'--bogus'", "fmt")]
    [InlineData("key --role clinical-app", "'--name'", "key")]
    [InlineData("serve --bogus", "'--bogus'", "serve")]
    [InlineData("impact --bogus", "'--bogus'", "impact")]
    [InlineData("audit list --bogus", "'--bogus'", "audit list")]
    [InlineData("bogus", "'bogus'", "")]
    [InlineData("audit", "Required command was not provided.", "audit")]
    [InlineData("terminology", "Required command was not provided.", "terminology")]

    // Refused by the verb itself rather than the parser: the same two lines.
    [InlineData("report", "--output", "report")]
    [InlineData("report --output r.html --from x", "--from", "report")]
    [InlineData("eval", "give FILE", "eval")]
    [InlineData("eval seeds/x.json --fhir F", "FILE takes a CheckRequest", "eval")]
    [InlineData("eval --fhir F --at nope", "--at", "eval")]
    [InlineData("terminology expand", "--server", "terminology expand")]
    [InlineData("impact --examples 0", "--examples", "impact")]
    [InlineData("terminology expand --server http://x --timeout abc", "--timeout: 'abc' is not a whole number of seconds", "terminology expand")]
    [InlineData("terminology expand --server http://x --page-size 1.5", "--page-size: '1.5' is not a whole number", "terminology expand")]
    public async Task BadCommandLine_Exits2WithOneLineAndTheHelpToRead(string commandLine, string named, string verb)
    {
        var run = await CliRun.InvokeAsync(commandLine.Split(' '));

        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Equal("", run.Output);
        var lines = run.Error.ReplaceLineEndings("\n").Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(lines.Length == 2, run.ToString());
        Assert.Contains(named, lines[0], StringComparison.Ordinal);
        Assert.Equal(verb.Length == 0 ? "see: safetycheck --help" : $"see: safetycheck {verb} --help", lines[1]);
    }

    /// <summary>An empty value, as an unset variable gives (<c>--audit-db "$AUDIT_DB"</c>), is refused rather than read as the option left out.</summary>
    [Theory]
    [InlineData("serve --audit-db '' --rules EMPTY --urls http://127.0.0.1:0", "--audit-db", "serve")]
    [InlineData("serve --rules '' --audit-db DB --urls http://127.0.0.1:0", "--rules", "serve")]
    [InlineData("serve --urls '' --rules EMPTY --audit-db DB", "--urls", "serve")]
    [InlineData("check --rules ''", "--rules", "check")]
    [InlineData("audit verify --audit-db ''", "--audit-db", "audit verify")]
    [InlineData("audit list --audit-db BLANK", "--audit-db", "audit list")]
    [InlineData("audit verify --audit-db DB --checkpoint ''", "--checkpoint", "audit verify")]
    [InlineData("audit verify --audit-db DB --export ''", "--export", "audit verify")]
    [InlineData("audit checkpoint --audit-db DB --key ''", "--key", "audit checkpoint")]
    [InlineData("audit export --audit-db DB --output ''", "--output", "audit export")]
    [InlineData("eval ''", "FILE", "eval")]
    [InlineData("eval BLANK", "FILE", "eval")]
    [InlineData("eval --fhir ''", "--fhir", "eval")]
    [InlineData("eval --fhir F --time-zone ''", "--time-zone", "eval")]
    [InlineData("eval --fhir F --areas ''", "--areas", "eval")]
    [InlineData("eval --fhir F --at ''", "--at", "eval")]
    [InlineData("test --rules EMPTY --junit ''", "--junit", "test")]
    [InlineData("test --rules EMPTY --filter ''", "--filter", "test")]
    [InlineData("audit list --audit-db DB --rule ''", "--rule", "audit list")]
    [InlineData("audit list --audit-db DB --revision ''", "--revision", "audit list")]
    [InlineData("audit list --audit-db DB --caller ''", "--caller", "audit list")]
    public async Task EmptyValue_Exits2NamingTheOption(string commandLine, string named, string verb)
    {
        var args = commandLine.Split(' ').Select(a => a switch
        {
            "''" => "",
            "BLANK" => " ",
            "EMPTY" => TestPaths.EmptyDirectory(),
            "DB" => TestAudit.NewDatabasePath(),
            _ => a,
        }).ToArray();

        var run = await CliRun.InvokeAsync(args).WaitAsync(TimeSpan.FromSeconds(60));

        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Equal("", run.Output);
        var lines = run.Error.ReplaceLineEndings("\n").Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(lines.Length == 2, run.ToString());
        Assert.StartsWith($"{named}: the value is empty", lines[0], StringComparison.Ordinal);
        Assert.Equal($"see: safetycheck {verb} --help", lines[1]);
    }

    [Theory]
    [InlineData("--help")]
    [InlineData("--version")]
    [InlineData("audit --help")]
    [InlineData("terminology --help")]
    [InlineData("terminology expand --help")]
    [InlineData("fmt --bogus --help")]
    public async Task HelpAndVersion_Exit0OnStdout(string commandLine)
    {
        var run = await CliRun.InvokeAsync(commandLine.Split(' '));

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.NotEqual("", run.Output);
        Assert.Equal("", run.Error);
    }

    [Theory]
    [InlineData("key")]
    [InlineData("audit verify")]
    public async Task HelpVerb_IsTheVerbsHelp(string verb)
    {
        var help = await CliRun.InvokeAsync(["help", .. verb.Split(' ')]);
        var flag = await CliRun.InvokeAsync([.. verb.Split(' '), "--help"]);

        Assert.True(help.ExitCode == 0, help.ToString());
        Assert.Equal(flag.Output, help.Output);
        Assert.Equal("", help.Error);
    }

    [Theory]
    [InlineData("bogus", "'bogus' is not a verb: the verbs are serve, eval,")]
    [InlineData("audit bogus", "'bogus' is not a verb of 'audit': the verbs are ")]
    [InlineData("key extra", "'extra' is not a verb of 'key': 'key' has no verbs under it.")]
    public async Task HelpVerb_UnknownVerb_Exits2NamingIt(string verb, string expected)
    {
        var run = await CliRun.InvokeAsync(["help", .. verb.Split(' ')]);

        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Equal("", run.Output);
        Assert.Contains(expected, run.Error, StringComparison.Ordinal);
        Assert.Contains("see: safetycheck help --help", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HelpVerb_NoVerb_IsTheRootHelp()
    {
        var help = await CliRun.InvokeAsync(["help"]);

        Assert.True(help.ExitCode == 0, help.ToString());
        Assert.Contains("Commands:", help.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Eval_FileThatLooksLikeAnOptionAfterDoubleDash_IsReadAsAFile()
    {
        var run = await CliRun.InvokeAsync(["eval", "--rules", TestPaths.Rules, "--", "--no-such-request.json"]);

        Assert.True(run.ExitCode == 1, run.ToString());
        Assert.Contains("cannot read --no-such-request.json", run.Error, StringComparison.Ordinal);
    }
}
