using SafetyCheck.IntegrationTests.Infrastructure;

namespace SafetyCheck.IntegrationTests.Security;

/// <summary><c>serve</c> with settings from the environment, as a deployment gives them.</summary>
[Collection(ProcessEnvironment.Name)]
public sealed class ServeEnvironmentTests
{
    [Fact]
    public async Task Serve_InvalidLimits_Exits1NamingTheSetting()
    {
        Environment.SetEnvironmentVariable("SafetyCheck__Limits__MaxConcurrentCalls", "0");
        try
        {
            var run = await CliRun.InvokeAsync(["serve", "--rules", TestPaths.Rules, "--urls", "http://127.0.0.1:0", "--audit-db", TestAudit.NewDatabasePath()]).WaitAsync(TimeSpan.FromMinutes(1));

            Assert.True(run.ExitCode == 1, run.ToString());
            Assert.Contains("cannot start the service: SafetyCheck:Limits:MaxConcurrentCalls must be at least 1 (got 0)", run.Error, StringComparison.Ordinal);
        }
        finally
        {
            Environment.SetEnvironmentVariable("SafetyCheck__Limits__MaxConcurrentCalls", null);
        }
    }
}
