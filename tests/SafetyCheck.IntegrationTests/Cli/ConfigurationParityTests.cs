using Grpc.Net.Client;
using SafetyCheck.IntegrationTests.Audit;
using SafetyCheck.IntegrationTests.Infrastructure;
using SafetyCheckApi = SafetyCheck.Protos.V1.SafetyCheck;

namespace SafetyCheck.IntegrationTests.Cli;

/// <summary>
/// Every verb reads the configuration serve reads, from the same sources in the same order: here an
/// appsettings.{Environment}.json next to the executable names the audit database, and serve writes to it and
/// <c>audit verify</c> reads it. The environment has a name of its own rather than Production, because the file lands
/// in the folder every in-process test host reads, and they run as Production.
/// </summary>
public sealed class ConfigurationParityTests
{
    [Fact]
    public async Task AuditVerify_EnvironmentSettingsFile_SameDatabaseAsServe()
    {
        var environmentName = "Parity" + Path.GetRandomFileName().Replace(".", "", StringComparison.Ordinal);
        var settingsFile = Path.Combine(AppContext.BaseDirectory, $"appsettings.{environmentName}.json");
        var folder = Path.Combine(Path.GetTempPath(), "safetycheck-tests", "parity-" + Path.GetRandomFileName());
        var database = Path.Combine(folder, "production-audit.db");
        Directory.CreateDirectory(folder);
        await File.WriteAllTextAsync(settingsFile, $$"""{ "SafetyCheck": { "Audit": { "DatabasePath": "{{database}}" } } }""");
        try
        {
            var environment = new Dictionary<string, string> { ["DOTNET_ENVIRONMENT"] = environmentName };
            await using (var serve = await ServeProcess.StartAsync(environment, folder))
            {
                using var channel = GrpcChannel.ForAddress(serve.Address, new GrpcChannelOptions { HttpHandler = new BearerTokenHandler(TestCredentials.ClinicalAppKey, new SocketsHttpHandler()) });
                await new SafetyCheckApi.SafetyCheckClient(channel).CheckAsync(AuditRequests.Infant());
            }

            Assert.True(File.Exists(database), "serve did not create the database the environment's settings name");
            var verify = await CliProcess.RunAsync(["audit", "verify"], new Dictionary<string, string?> { ["DOTNET_ENVIRONMENT"] = environmentName }, folder);

            Assert.True(verify.ExitCode == 0, verify.Error);
            Assert.StartsWith("ok: 1 record verifies", verify.Output, StringComparison.Ordinal);
            Assert.False(File.Exists(Path.Combine(folder, "audit.db")), "audit verify fell back to the default database");
        }
        finally
        {
            File.Delete(settingsFile);
        }
    }

    [Fact]
    public async Task Serve_DatabaseHeldByAnotherServe_OneLineNamingTheCause()
    {
        var folder = Path.Combine(Path.GetTempPath(), "safetycheck-tests", "held-" + Path.GetRandomFileName());
        Directory.CreateDirectory(folder);
        var database = Path.Combine(folder, "audit.db");
        await using var first = await ServeProcess.StartAsync(new Dictionary<string, string> { ["SafetyCheck__Audit__DatabasePath"] = database }, folder);

        var second = await CliProcess.RunAsync(
            ["serve", "--rules", TestPaths.Rules, "--urls", "http://127.0.0.1:0", "--audit-db", database],
            new Dictionary<string, string?>
            {
                ["SafetyCheck__Authentication__ApiKeys__0__Name"] = "parity",
                ["SafetyCheck__Authentication__ApiKeys__0__Sha256"] = TestCredentials.Sha256(TestCredentials.ClinicalAppKey),
                ["SafetyCheck__Authentication__ApiKeys__0__Roles__0"] = "clinical-app",
            },
            folder);

        Assert.Equal(1, second.ExitCode);
        var lines = second.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var reason = Assert.Single(lines, l => l.StartsWith("cannot start the service:", StringComparison.Ordinal));
        Assert.True(reason.Contains("in use by another process", StringComparison.Ordinal), second.Error);
        Assert.DoesNotContain("   at ", second.Error, StringComparison.Ordinal);
    }
}
