using Grpc.Core;
using Grpc.Health.V1;
using Grpc.Reflection.V1Alpha;
using SafetyCheck.IntegrationTests.Infrastructure;

namespace SafetyCheck.IntegrationTests.Limits;

/// <summary>Calls beyond the concurrency limit wait in a bounded queue; beyond the queue they get RESOURCE_EXHAUSTED at once.</summary>
public sealed class ConcurrencyLimitTests
{
    [Fact]
    public async Task Check_SlotsAndQueueFull_ResourceExhausted_ThenTheQueuedCallRuns()
    {
        CallGate? gate = null;
        await using var host = await TestServerHost.StartAsync(TestPaths.Rules, args:
        [
            "--SafetyCheck:Limits:MaxConcurrentCalls=2",
            "--SafetyCheck:Limits:MaxQueuedCalls=1",
            "--SafetyCheck:Limits:CallsPerSecondPerCaller=0",
        ], configure: b => gate = CallGate.AddTo(b.Services));
        host.Logs.Expect("SafetyCheck.Limits");

        var inFlight = new[] { CheckAsync(host), CheckAsync(host) };
        await gate!.WaitForAsync(2);
        var beyond = new[] { CheckAsync(host), CheckAsync(host) };

        // One of the two later calls takes the queue's place; the other is refused without waiting.
        var refused = await await Task.WhenAny(beyond);
        var health = await host.Health.CheckAsync(new HealthCheckRequest());
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, health.Status);
        gate.Open();
        var statuses = await Task.WhenAll([.. inFlight, .. beyond]);

        Assert.Equal(StatusCode.ResourceExhausted, refused);
        Assert.Equal(3, statuses.Count(s => s == StatusCode.OK));
        Assert.Equal(1, statuses.Count(s => s == StatusCode.ResourceExhausted));
        Assert.Equal(3, gate.Entered);
        var report = Assert.Single(host.Logs.Entries, e => e.EventId.Id == 401).Message;
        Assert.Matches(
            @"^Refused 1 call with RESOURCE_EXHAUSTED since the last report: the limits of 2 calls in progress and 1 queued \(SafetyCheck:Limits:MaxConcurrentCalls, SafetyCheck:Limits:MaxQueuedCalls\) were reached; the latest from caller [^ ()]+ to /safetycheck.v1.SafetyCheck/Check \(",
            report);
        Assert.DoesNotContain(TestCredentials.ClinicalAppKey, report, StringComparison.Ordinal);
        Assert.DoesNotContain(TestCredentials.AllRolesKey, report, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Check_QueuedThenAbandonedByTheCaller_LeavesTheQueue()
    {
        CallGate? gate = null;
        await using var host = await TestServerHost.StartAsync(TestPaths.Rules, args:
        [
            "--SafetyCheck:Limits:MaxConcurrentCalls=1",
            "--SafetyCheck:Limits:MaxQueuedCalls=4",
        ], configure: b => gate = CallGate.AddTo(b.Services));

        var first = CheckAsync(host);
        await gate!.WaitForAsync(1);
        using (var giveUp = new CancellationTokenSource(TimeSpan.FromMilliseconds(300)))
        {
            Assert.Equal(StatusCode.Cancelled, await CheckAsync(host, giveUp.Token));
        }

        gate.Open();

        // The abandoned call left the queue and holds no slot: the next call is answered.
        Assert.Equal(StatusCode.OK, await first);
        Assert.Equal(StatusCode.OK, await CheckAsync(host));
        Assert.Equal(2, gate.Left);
    }

    [Fact]
    public async Task ReflectionStreamsHeldOpen_TakeNoSlotFromCheck()
    {
        await using var host = await TestServerHost.StartAsync(TestPaths.Rules, args: ["--SafetyCheck:Limits:MaxConcurrentCalls=1", "--SafetyCheck:Limits:MaxQueuedCalls=0"]);
        var anonymous = new ServerReflection.ServerReflectionClient(host.CreateChannel(token: null));
        var streams = Enumerable.Range(0, 3).Select(_ => anonymous.ServerReflectionInfo()).ToArray();
        foreach (var stream in streams)
        {
            await stream.RequestStream.WriteAsync(new ServerReflectionRequest { ListServices = "" });
            Assert.True(await stream.ResponseStream.MoveNext(CancellationToken.None));
        }

        var status = await CheckAsync(host);

        Assert.Equal(StatusCode.OK, status);
        foreach (var stream in streams)
        {
            await stream.RequestStream.CompleteAsync();
            stream.Dispose();
        }
    }

    private static async Task<StatusCode> CheckAsync(TestServerHost host, CancellationToken cancellationToken = default)
    {
        try
        {
            await host.Client.CheckAsync(SampleRequests.Infant(), cancellationToken: cancellationToken);
            return StatusCode.OK;
        }
        catch (RpcException e)
        {
            return e.StatusCode;
        }
    }
}
