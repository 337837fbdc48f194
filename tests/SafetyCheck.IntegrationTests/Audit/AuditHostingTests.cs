using Grpc.Core;
using Grpc.Health.V1;
using Microsoft.Extensions.DependencyInjection;
using SafetyCheck.Audit.Chain;
using SafetyCheck.Audit.Sqlite;
using SafetyCheck.Audit.Storage;
using SafetyCheck.Audit.Verification;
using SafetyCheck.IntegrationTests.Infrastructure;
using ServingStatus = Grpc.Health.V1.HealthCheckResponse.Types.ServingStatus;

namespace SafetyCheck.IntegrationTests.Audit;

/// <summary>The audit store's part in the host's life: opened at start, archived before SERVING, reported by health.</summary>
public sealed class AuditHostingTests
{
    [Fact]
    public async Task Health_Serving_OnlyOnceTheRevisionIsArchived()
    {
        await using var host = await TestServerHost.StartAsync(TestPaths.Rules, loadRules: false);
        var store = host.Services.GetRequiredService<IAuditReader>();

        Assert.Equal(ServingStatus.NotServing, (await host.Health.CheckAsync(new HealthCheckRequest())).Status);
        var revision = host.Provider.Load(TestPaths.Rules).RuleSet!.Identity.Revision;

        Assert.Equal(ServingStatus.Serving, (await host.Health.CheckAsync(new HealthCheckRequest())).Status);
        Assert.NotNull(await store.GetRevisionAsync(revision));
    }

    [Fact]
    public async Task Health_StoreFails_NotServingUntilItAcceptsWritesAgain()
    {
        using var folder = new TempAuditFolder();
        var store = new FailingAuditStorage(SqliteAuditStorage.Open(folder.DatabasePath));
        await using var host = await TestServerHost.StartAsync(TestPaths.Rules, configureServices: s => s.AddSingleton<IAuditStorage>(store));
        host.Logs.Expect("SafetyCheck.Audit", "could not be recorded");
        Assert.Equal(ServingStatus.Serving, (await host.Health.CheckAsync(new HealthCheckRequest())).Status);

        store.FailWrites = true;
        await Assert.ThrowsAsync<RpcException>(() => host.Client.CheckAsync(AuditRequests.Infant()).ResponseAsync);

        Assert.Equal(ServingStatus.NotServing, (await host.Health.CheckAsync(new HealthCheckRequest())).Status);
        Assert.Equal(ServingStatus.NotServing, (await host.Health.CheckAsync(new HealthCheckRequest { Service = "safetycheck.v1.SafetyCheck" })).Status);

        store.FailWrites = false;
        Assert.Equal(ServingStatus.Serving, (await host.Health.CheckAsync(new HealthCheckRequest())).Status);
        Assert.Equal(1UL, (await host.Client.CheckAsync(AuditRequests.Infant())).Audit.Sequence);
    }

    [Fact]
    public async Task Health_WriterStopped_NotServing()
    {
        await using var host = await TestServerHost.StartAsync(TestPaths.Rules);
        Assert.Equal(ServingStatus.Serving, (await host.Health.CheckAsync(new HealthCheckRequest())).Status);
        host.Logs.Expect("SafetyCheck.Audit");

        await host.Services.GetRequiredService<AuditChainWriter>().DisposeAsync();
        await Assert.ThrowsAsync<RpcException>(() => host.Client.CheckAsync(AuditRequests.Infant()).ResponseAsync);

        Assert.Equal(ServingStatus.NotServing, (await host.Health.CheckAsync(new HealthCheckRequest())).Status);
    }

    [Fact]
    public async Task Start_DatabaseHeldByAnotherHost_Refused()
    {
        using var folder = new TempAuditFolder();
        await using var first = await TestServerHost.StartAsync(TestPaths.Rules, args: [folder.HostArgument]);

        var error = await Assert.ThrowsAsync<AuditStoreUnavailableException>(
            () => TestServerHost.StartAsync(TestPaths.Rules, loadRules: false, args: [folder.HostArgument]));

        Assert.Contains("in use by another process", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Serve_DatabaseHeldByAnotherServe_Exits1WithTheReason()
    {
        using var folder = new TempAuditFolder();
        await using var first = await TestServerHost.StartAsync(TestPaths.Rules, loadRules: false, args: [folder.HostArgument]);

        var run = await CliRun.InvokeAsync(["serve", "--rules", TestPaths.Rules, "--urls", "http://127.0.0.1:0", "--audit-db", folder.DatabasePath])
            .WaitAsync(TimeSpan.FromSeconds(60));

        Assert.True(run.ExitCode == 1, run.ToString());
        Assert.Contains($"cannot start the service: the audit database {folder.DatabasePath} is in use by another process", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Stop_QueuedRecordsAreCommitted_AndTheNextHostContinuesTheChain()
    {
        using var folder = new TempAuditFolder();
        ulong last;
        await using (var host = await TestServerHost.StartAsync(TestPaths.Rules, args: [folder.HostArgument]))
        {
            var responses = await Task.WhenAll(Enumerable.Range(0, 20).Select(i => host.Client.CheckAsync(AuditRequests.Infant($"r{i}")).ResponseAsync));
            last = responses.Max(r => r.Audit.Sequence);
        }

        await using (var host = await TestServerHost.StartAsync(TestPaths.Rules, args: [folder.HostArgument]))
        {
            var next = await host.Client.CheckAsync(AuditRequests.Fever());
            Assert.Equal(last + 1, next.Audit.Sequence);
            Assert.True((await AuditVerifier.VerifyAsync(host.Services.GetRequiredService<IAuditReader>())).IsValid);
        }
    }

    [Fact]
    public async Task Start_BadConfiguredPseudonymKey_RefusedWithoutShowingTheKey()
    {
        var error = await Assert.ThrowsAsync<Microsoft.Extensions.Options.OptionsValidationException>(
            () => TestServerHost.StartAsync(TestPaths.Rules, loadRules: false, args: ["--SafetyCheck:Audit:PseudonymKey=c2hvcnQ="]));

        Assert.Contains("SafetyCheck:Audit:PseudonymKey must be base64 of at least 16 bytes", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("c2hvcnQ=", error.Message, StringComparison.Ordinal);
    }
}
