using SafetyCheck.IntegrationTests.Infrastructure;

namespace SafetyCheck.IntegrationTests.Cli;

/// <summary>serve refusing to start: every refusal says why, on stderr, with the exit code README's table gives.</summary>
public sealed class ServeStartTests
{
    /// <summary>Rule sets that fail as soon as they are read (no rule file is parsed), which stops the host while it is still starting.</summary>
    public static TheoryData<string, string> FailingAtOnce => new()
    {
        { "missing", "rule directory not found" },
        { "empty", "the rule set has no rule files" },
        { "file", "rule directory not found" },
    };

    [Theory]
    [MemberData(nameof(FailingAtOnce))]
    public async Task Serve_RuleSetFailingAtOnce_Exits1WithTheDiagnostics(string kind, string diagnostic)
    {
        var empty = TestPaths.EmptyDirectory();
        var rules = kind switch
        {
            "missing" => Path.Combine(empty, "no-such-directory"),
            "empty" => empty,
            _ => Path.Combine(empty, "a-file.json"),
        };
        if (kind == "file")
        {
            await File.WriteAllTextAsync(rules, "{}");
        }

        var run = await CliRun.InvokeAsync(["serve", "--rules", rules, "--urls", "http://127.0.0.1:0", "--audit-db", TestAudit.NewDatabasePath()])
            .WaitAsync(TimeSpan.FromSeconds(60));

        Assert.True(run.ExitCode == 1, run.ToString());
        Assert.Contains($"{rules}: error: {diagnostic}", run.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("http://127.0.0.1:99999", "--urls: 'http://127.0.0.1:99999' has port 99999, outside 0-65535")]
    [InlineData("http://127.0.0.1:0;http://127.0.0.1:70000", "--urls: 'http://127.0.0.1:70000' has port 70000, outside 0-65535")]
    [InlineData("garbage", "--urls: 'garbage' is not a listen address")]
    public async Task Serve_UrlThatCannotBeBound_Exits2NamingTheAddress(string urls, string line)
    {
        var run = await CliRun.InvokeAsync(["serve", "--rules", TestPaths.Rules, "--urls", urls, "--audit-db", TestAudit.NewDatabasePath()])
            .WaitAsync(TimeSpan.FromSeconds(60));

        Assert.True(run.ExitCode == 2, run.ToString());
        var lines = run.Error.ReplaceLineEndings("\n").Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(lines.Length == 2, run.ToString());
        Assert.StartsWith(line, lines[0], StringComparison.Ordinal);
        Assert.Equal("see: safetycheck serve --help", lines[1]);
    }

    [Theory]
    [InlineData("SafetyCheck__Reload__DebounceMilliseconds", "-1", "DebounceMilliseconds")]
    [InlineData("SafetyCheck__Reload__PollSeconds", "-1", "PollSeconds")]
    public async Task Serve_BadSetting_Exits1AndCreatesNothing(string variable, string value, string named)
    {
        var (run, directory) = await ServeWithSettingAsync(variable, value);

        Assert.True(run.ExitCode == 1, run.Error);
        var line = Assert.Single(run.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries), l => l.StartsWith("cannot start the service:", StringComparison.Ordinal));
        Assert.Contains(named, line, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(directory, ".safetycheck")), "serve created .safetycheck (the audit store or the development key) before refusing a bad setting");
    }

    [Theory]
    [InlineData("SafetyCheck__Limits__MaxConcurrentCalls", "abc", "'abc' at 'SafetyCheck:Limits:MaxConcurrentCalls'")]
    [InlineData("SafetyCheck__Audit__CommitStallSeconds", "5s", "'5s' at 'SafetyCheck:Audit:CommitStallSeconds'")]
    [InlineData("SafetyCheck__CdsHooks__ClockSkewSeconds", "lots", "'lots' at 'SafetyCheck:CdsHooks:ClockSkewSeconds'")]
    [InlineData("SafetyCheck__AuditPage__IdleMinutes", "half an hour", "'half an hour' at 'SafetyCheck:AuditPage:IdleMinutes'")]
    [InlineData("SafetyCheck__Authentication__ClientCertificates__Enabled", "sometimes", "value at 'SafetyCheck:Authentication:ClientCertificates:Enabled'")]
    [InlineData("SafetyCheck__Telemetry__SilentRules__Window", "wide", "'wide' at 'SafetyCheck:Telemetry:SilentRules:Window'")]
    public async Task Serve_SettingThatCannotBeConverted_Exits1WithOneLineNamingIt(string variable, string value, string named)
    {
        var (run, directory) = await ServeWithSettingAsync(variable, value);

        Assert.True(run.ExitCode == 1, run.Error);
        var line = Assert.Single(run.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("cannot start the service: Failed to convert configuration value ", line, StringComparison.Ordinal);
        Assert.Contains(named, line, StringComparison.Ordinal);
        if (variable.StartsWith("SafetyCheck__Authentication__", StringComparison.Ordinal))
        {
            // A section that holds secrets: the value is not quoted.
            Assert.DoesNotContain(value, line, StringComparison.Ordinal);
        }

        Assert.False(Directory.Exists(Path.Combine(directory, ".safetycheck")), "serve created .safetycheck (the audit store or the development key) before refusing a bad setting");
    }

    /// <summary><c>serve</c> with one setting from the environment, in a fresh working directory (returned, to look for what it created).</summary>
    private static async Task<((int ExitCode, string Output, string Error) Run, string Directory)> ServeWithSettingAsync(string variable, string value)
    {
        var directory = Path.GetDirectoryName(TestPaths.EmptyDirectory())!;
        var run = await CliProcess.RunAsync(
            ["serve", "--rules", TestPaths.Rules, "--urls", "http://127.0.0.1:0"],
            new Dictionary<string, string?> { [variable] = value },
            workingDirectory: directory);
        return (run, directory);
    }
}
