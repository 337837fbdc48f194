using System.Diagnostics;
using Grpc.Core;
using Grpc.Health.V1;
using ServingStatus = Grpc.Health.V1.HealthCheckResponse.Types.ServingStatus;

namespace SafetyCheck.IntegrationTests.Audit;

/// <summary>
/// Health/Watch, which gRPC client-side health checking follows, tells the same state as Health/Check within about a
/// second: an audit store outage turns it NOT_SERVING, and the recovery SERVING again.
/// </summary>
public sealed class HealthWatchTests
{
    private const string Intermittent = "Intermittent: in some runs the Watch stream says nothing after SERVING for 20 s although Check says NOT_SERVING; under investigation.";

    // The publisher runs every second; the bound leaves room for a slow, shared machine.
    private static readonly TimeSpan Prompt = TimeSpan.FromSeconds(5);

    [Theory(Skip = Intermittent)]
    [InlineData("")]
    [InlineData("safetycheck.v1.SafetyCheck")]
    public async Task Watch_StoreFailsThenRecovers_NotServingThenServingWithinSeconds(string service)
    {
        using var folder = new TempAuditFolder();
        var store = FailingAuditStorage.Open(folder);
        await using var host = await store.StartHostAsync();
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        using var watch = host.Health.Watch(new HealthCheckRequest { Service = service }, cancellationToken: stop.Token);
        await NextStatusAsync(watch.ResponseStream, ServingStatus.Serving);

        store.FailWrites = true;
        await Assert.ThrowsAsync<RpcException>(() => host.Client.CheckAsync(AuditRequests.Infant()).ResponseAsync);
        var failedAfter = await NextStatusAsync(watch.ResponseStream, ServingStatus.NotServing);

        store.FailWrites = false;
        var recoveredAfter = await NextStatusAsync(watch.ResponseStream, ServingStatus.Serving);

        Assert.True(failedAfter < Prompt, $"NOT_SERVING after {failedAfter.TotalSeconds:0.0} s");
        Assert.True(recoveredAfter < Prompt, $"SERVING after {recoveredAfter.TotalSeconds:0.0} s");
    }

    [Fact(Skip = Intermittent)]
    public async Task Watch_DiskFullForAFewSeconds_IsReported()
    {
        using var folder = new TempAuditFolder();
        var store = FailingAuditStorage.Open(folder);
        await using var host = await store.StartHostAsync();
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        using var watch = host.Health.Watch(new HealthCheckRequest(), cancellationToken: stop.Token);
        await NextStatusAsync(watch.ResponseStream, ServingStatus.Serving);

        store.FailEntriesOnly = true;
        await Assert.ThrowsAsync<RpcException>(() => host.Client.CheckAsync(AuditRequests.Infant()).ResponseAsync);
        var failedAfter = await NextStatusAsync(watch.ResponseStream, ServingStatus.NotServing);
        store.FailEntriesOnly = false;
        var recoveredAfter = await NextStatusAsync(watch.ResponseStream, ServingStatus.Serving);

        Assert.True(failedAfter < Prompt, $"NOT_SERVING after {failedAfter.TotalSeconds:0.0} s");
        Assert.True(recoveredAfter < Prompt, $"SERVING after {recoveredAfter.TotalSeconds:0.0} s");
    }

    /// <summary>Reads the stream until it says <paramref name="status"/> (within 20 s); returns how long that took.</summary>
    private static async Task<TimeSpan> NextStatusAsync(IAsyncStreamReader<HealthCheckResponse> stream, ServingStatus status)
    {
        var elapsed = Stopwatch.StartNew();
        var seen = new List<ServingStatus>();
        using var bound = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        try
        {
            while (await stream.MoveNext(bound.Token))
            {
                seen.Add(stream.Current.Status);
                if (stream.Current.Status == status)
                {
                    return elapsed.Elapsed;
                }
            }
        }
        catch (RpcException ex) when (ex.StatusCode == StatusCode.Cancelled)
        {
            // Reported below, with what the stream said meanwhile.
        }

        throw new InvalidOperationException($"The Watch stream did not say {status} within {elapsed.Elapsed.TotalSeconds:0.0} s; it said [{string.Join(", ", seen)}].");
    }
}
