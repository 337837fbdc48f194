using Grpc.Core;
using Grpc.Health.V1;
using Microsoft.Extensions.DependencyInjection;
using SafetyCheck.Audit;
using SafetyCheck.Audit.Storage;
using SafetyCheck.IntegrationTests.Infrastructure;
using ServingStatus = Grpc.Health.V1.HealthCheckResponse.Types.ServingStatus;

namespace SafetyCheck.IntegrationTests.Audit;

/// <summary>
/// While the service runs, the records appended since the last verified point are read back, verified and recorded as
/// the next verified point every <c>VerifyEveryMinutes</c>: a restart verifies minutes of records, and a record changed
/// in the store while the service runs is found then, not at the next start.
/// </summary>
public sealed class RunningVerificationTests
{
    private const int Passed = 327;
    private const int Failed = 328;
    private const string EveryTenMinutes = "--SafetyCheck:Audit:VerifyEveryMinutes=10";

    [Fact]
    public async Task Running_AppendedRecords_AreVerifiedAndBecomeTheVerifiedPoint()
    {
        using var folder = new TempAuditFolder();
        await using var host = await TestServerHost.StartAsync(TestPaths.Rules, args: [folder.HostArgument, EveryTenMinutes]);
        await host.SettledAsync();
        var storage = host.Services.GetRequiredService<IAuditStorage>();
        var atStart = (await storage.GetVerifiedPointAsync())?.Size ?? 0;
        for (var i = 0; i < 3; i++)
        {
            await host.Client.CheckAsync(AuditRequests.Infant($"r{i}"));
        }

        var head = await storage.HeadAsync();
        Assert.True(atStart < head.Size);

        // The point is recorded, then logged.
        await AdvanceUntilAsync(host, () => Task.FromResult(host.Logs.Entries.Any(e => e.EventId.Id == Passed)));

        Assert.Equal(head, await storage.GetVerifiedPointAsync());
        var line = Assert.Single(host.Logs.Entries, e => e.EventId.Id == Passed);
        Assert.Equal($"Audit records {atStart + 1} to {head.Size} verify; sequence {head.Size} is the new verified point", line.Message);
        Assert.Equal(ServingStatus.Serving, (await host.Health.CheckAsync(new HealthCheckRequest())).Status);
    }

    [Fact]
    public async Task Running_NothingAppended_NoNewPoint()
    {
        using var folder = new TempAuditFolder();
        await using var host = await TestServerHost.StartAsync(TestPaths.Rules, args: [folder.HostArgument, EveryTenMinutes]);
        await host.SettledAsync();

        host.Clock.Advance(TimeSpan.FromMinutes(30));
        await Task.Delay(500);

        Assert.DoesNotContain(host.Logs.Entries, e => e.EventId.Id is Passed or Failed);
    }

    [Fact]
    public async Task Running_RecordEditedInTheStore_ChainRefusedAtTheNextVerification()
    {
        using var folder = new TempAuditFolder();
        await using var host = await TestServerHost.StartAsync(TestPaths.Rules, args: [folder.HostArgument, EveryTenMinutes]);
        host.Logs.Expect("SafetyCheck.Audit", "refused");
        host.Logs.Expect("SafetyCheck.Audit", "verification of the records appended since the last verified point failed");
        await host.SettledAsync();
        for (var i = 0; i < 3; i++)
        {
            await host.Client.CheckAsync(AuditRequests.Infant($"r{i}"));
        }

        var edited = (await host.Services.GetRequiredService<IAuditStorage>().HeadAsync()).Size - 1;
        AuditTampering.EditCaller(folder.DatabasePath, edited);

        await AdvanceUntilAsync(host, () => Task.FromResult(host.Logs.Entries.Any(e => e.EventId.Id == Failed)));

        var verification = host.Services.GetRequiredService<AuditChainVerification>();
        Assert.Equal(edited, verification.Result!.FirstBadSequence);
        Assert.Contains($"sequence {edited}: the record does not hash to its entry_hash", Assert.Single(host.Logs.Entries, e => e.EventId.Id == Failed).Message, StringComparison.Ordinal);
        Assert.Equal(ServingStatus.NotServing, (await host.Health.CheckAsync(new HealthCheckRequest())).Status);
        var error = await Assert.ThrowsAsync<RpcException>(() => host.Client.CheckAsync(AuditRequests.Infant("after")).ResponseAsync);
        Assert.Equal(StatusCode.Unavailable, error.StatusCode);
    }

    /// <summary>
    /// Moves the host's clock on by the default interval until <paramref name="condition"/> holds, giving the service a
    /// few seconds after each move (a move made before the service waits on the clock is not seen by it; one made while
    /// its write is in flight would count as a stalled commit, hence never two moves in a row).
    /// </summary>
    private static async Task AdvanceUntilAsync(TestServerHost host, Func<Task<bool>> condition)
    {
        for (var round = 0; round < 10; round++)
        {
            host.Clock.Advance(TimeSpan.FromMinutes(10));
            for (var wait = 0; wait < 150; wait++)
            {
                if (await condition())
                {
                    return;
                }

                await Task.Delay(20);
            }
        }

        Assert.Fail("the running verification did not happen after 10 intervals");
    }
}
