using Grpc.Core;
using SafetyCheck.Hosting;
using SafetyCheck.IntegrationTests.Infrastructure;
using SafetyCheck.Protos.V1;
using SafetyCheckApi = SafetyCheck.Protos.V1.SafetyCheck;

namespace SafetyCheck.IntegrationTests.Security;

/// <summary>The development key as <c>serve</c> uses it: on loopback without credentials; never elsewhere.</summary>
public sealed class DevelopmentKeyHostTests
{
    [Fact]
    public async Task Loopback_NoCredentials_MakesAKeyThatHoldsEveryRole_AndLogsWhereNotWhat()
    {
        var directory = Path.Combine(Path.GetTempPath(), "safetycheck-tests", Path.GetRandomFileName(), ".safetycheck");
        await using var host = await KestrelTestHost.StartAsync([], DevelopmentHost(directory));
        var key = File.ReadAllText(Path.Combine(directory, "dev-key")).Trim();

        using var keyed = host.CreateChannel(key);
        using var anonymous = host.CreateChannel(token: null);
        var response = await new SafetyCheckApi.SafetyCheckClient(keyed).CheckAsync(SampleRequests.Infant());
        var denied = await Assert.ThrowsAsync<RpcException>(() => new SafetyCheckApi.SafetyCheckClient(anonymous).CheckAsync(SampleRequests.Infant()).ResponseAsync);
        var audit = await AccessProbeServices.CallAsync(keyed.CreateCallInvoker(), AccessProbeServices.AuditService);

        Assert.NotEqual(Suitability.Unspecified, response.Suitability);
        Assert.Equal(StatusCode.Unauthenticated, denied.StatusCode);

        // Authorized for the Audit service (nothing serves it on this host, hence UNIMPLEMENTED, not PERMISSION_DENIED).
        Assert.Equal(StatusCode.Unimplemented, audit);
        var entry = Assert.Single(host.Logs.Entries, e => e.EventId.Id == 302);
        Assert.Contains(Path.Combine(directory, "dev-key"), entry.Message, StringComparison.Ordinal);
        Assert.Contains("Created", entry.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(host.Logs.Entries, e => e.Message.Contains(key, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Loopback_SecondStart_ReusesTheKey()
    {
        var directory = Path.Combine(Path.GetTempPath(), "safetycheck-tests", Path.GetRandomFileName(), ".safetycheck");
        string first;
        await using (var host = await KestrelTestHost.StartAsync([], DevelopmentHost(directory)))
        {
            first = File.ReadAllText(Path.Combine(directory, "dev-key"));
        }

        await using var again = await KestrelTestHost.StartAsync([], DevelopmentHost(directory));

        Assert.Equal(first, File.ReadAllText(Path.Combine(directory, "dev-key")));
        Assert.Contains("Reusing", Assert.Single(again.Logs.Entries, e => e.EventId.Id == 302).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CredentialsConfigured_NoDevelopmentKey()
    {
        var directory = Path.Combine(Path.GetTempPath(), "safetycheck-tests", Path.GetRandomFileName(), ".safetycheck");
        await using var host = await KestrelTestHost.StartAsync(TestCredentials.ApiKeyArguments, DevelopmentHost(directory));

        Assert.False(Directory.Exists(directory));
        Assert.DoesNotContain(host.Logs.Entries, e => e.EventId.Id == 302);
    }

    [Theory]
    [InlineData("http://0.0.0.0:0")]
    [InlineData("http://127.0.0.1:0;http://[::]:0")]
    public async Task NotLoopback_NoCredentials_RefusesToStartBeforeBinding(string urls)
    {
        var directory = Path.Combine(Path.GetTempPath(), "safetycheck-tests", Path.GetRandomFileName(), ".safetycheck");
        var options = new SafetyCheckHostOptions { RulesDirectory = TestPaths.Rules, Urls = urls, DevelopmentKeyDirectory = directory, LoadRulesOnStart = false };

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => KestrelTestHost.StartAsync([], options));

        Assert.Contains("not loopback", error.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(directory));
    }

    [Fact]
    public async Task Serve_OnAllInterfacesWithoutCredentials_Exits1WithTheReasonOnStderrAndCreatesNoAuditFiles()
    {
        var database = TestAudit.NewDatabasePath();

        var run = await CliRun.InvokeAsync(["serve", "--rules", TestPaths.Rules, "--urls", "http://0.0.0.0:0", "--audit-db", database]).WaitAsync(TimeSpan.FromMinutes(1));

        Assert.True(run.ExitCode == 1, run.ToString());
        Assert.Contains("cannot start the service: no credentials are configured", run.Error, StringComparison.Ordinal);
        Assert.Contains("http://0.0.0.0:0", run.Error, StringComparison.Ordinal);
        Assert.Empty(Directory.Exists(Path.GetDirectoryName(database)) ? Directory.GetFiles(Path.GetDirectoryName(database)!, Path.GetFileName(database) + "*") : []);
    }

    private static SafetyCheckHostOptions DevelopmentHost(string directory) =>
        new() { RulesDirectory = TestPaths.Rules, Urls = "http://127.0.0.1:0", DevelopmentKeyDirectory = directory };
}
