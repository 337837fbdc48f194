using System.Text.RegularExpressions;
using SafetyCheck.IntegrationTests.Infrastructure;
using SafetyCheckApi = SafetyCheck.Protos.V1.SafetyCheck;

namespace SafetyCheck.IntegrationTests.Security;

public sealed partial class KeyCommandTests
{
    [Fact]
    public async Task Key_PrintsAKeyThatTheConfigurationItPrintsAccepts()
    {
        var run = await CliRun.InvokeAsync(["key", "--name", "scheduling-app", "--role", "clinical-app", "--role", "auditor"]);

        Assert.True(run.ExitCode == 0, run.ToString());
        var key = KeyLine().Match(run.Output).Groups[1].Value;
        var hash = HashLine().Match(run.Output).Groups[1].Value;
        Assert.Equal(TestCredentials.Sha256(key), hash);
        Assert.Contains($"SafetyCheck__Authentication__ApiKeys__N__Sha256={hash}", run.Output, StringComparison.Ordinal);
        Assert.Contains("SafetyCheck__Authentication__ApiKeys__N__Roles__1=auditor", run.Output, StringComparison.Ordinal);
        Assert.Contains("\"Roles\": [ \"clinical-app\", \"auditor\" ]", run.Output, StringComparison.Ordinal);

        await using var host = await TestServerHost.StartAsync(TestPaths.Rules, withTestKeys: false, args: TestCredentials.ApiKey(0, "scheduling-app", key, "clinical-app"));
        var response = await new SafetyCheckApi.SafetyCheckClient(host.CreateChannel(key)).CheckAsync(SampleRequests.Infant());
        Assert.Equal("sample", response.RequestId);
    }

    [Theory]
    [InlineData("x", "clinical_app", "--role: unknown role 'clinical_app'; known: ")]
    [InlineData("x", "", "--role: the value is empty; give one of ")]
    [InlineData("", "auditor", "--name: the value is empty")]
    [InlineData(" ", "auditor", "--name: the value is empty")]
    public async Task Key_EmptyNameOrEmptyOrUnknownRole_Exits2NamingTheOption(string name, string role, string problem)
    {
        var run = await CliRun.InvokeAsync(["key", "--name", name, "--role", role]);

        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Equal("", run.Output);
        var lines = run.Error.ReplaceLineEndings("\n").Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(lines.Length == 2, run.ToString());
        Assert.StartsWith(problem, lines[0], StringComparison.Ordinal);
        Assert.Equal("see: safetycheck key --help", lines[1]);
    }

    [Fact]
    public async Task Key_TwoRuns_DifferentKeys()
    {
        var first = await CliRun.InvokeAsync(["key", "--name", "x", "--role", "auditor"]);
        var second = await CliRun.InvokeAsync(["key", "--name", "x", "--role", "auditor"]);

        Assert.NotEqual(KeyLine().Match(first.Output).Value, KeyLine().Match(second.Output).Value);
    }

    [GeneratedRegex(@"^key:\s+(sck_[A-Za-z0-9_-]{43})$", RegexOptions.Multiline)]
    private static partial Regex KeyLine();

    [GeneratedRegex(@"^sha256:\s+([0-9a-f]{64})$", RegexOptions.Multiline)]
    private static partial Regex HashLine();
}
