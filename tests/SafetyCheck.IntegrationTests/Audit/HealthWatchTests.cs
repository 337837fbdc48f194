using System.Diagnostics;
using Grpc.Core;
using Grpc.Health.V1;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using SafetyCheck.IntegrationTests.Infrastructure;
using ServingStatus = Grpc.Health.V1.HealthCheckResponse.Types.ServingStatus;

namespace SafetyCheck.IntegrationTests.Audit;

/// <summary>
/// Health/Watch, which gRPC client-side health checking follows, tells what Health/Check would answer within about a
/// second: an audit store outage turns it NOT_SERVING, the recovery SERVING again, a rule set loaded after the stream
/// opened SERVING, and the host stopping NOT_SERVING. Streams are opened right after the host starts, when a
/// background snapshot would still hold the start-up state.
/// </summary>
public sealed class HealthWatchTests
{
    // The checks run again every second; the bound leaves room for a slow, shared machine.
    private static readonly TimeSpan Prompt = TimeSpan.FromSeconds(10);

    [Theory]
    [InlineData("")]
    [InlineData("safetycheck.v1.SafetyCheck")]
    public async Task Watch_StoreFailsThenRecovers_NotServingThenServing(string service)
    {
        using var folder = new TempAuditFolder();
        var store = FailingAuditStorage.Open(folder);
        await using var host = await store.StartHostAsync();
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        using var watch = host.Health.Watch(new HealthCheckRequest { Service = service }, cancellationToken: stop.Token);
        await NextStatusAsync(watch.ResponseStream, ServingStatus.Serving);

        store.FailWrites = true;
        await Assert.ThrowsAsync<RpcException>(() => host.Client.CheckAsync(AuditRequests.Infant()).ResponseAsync);
        await NextStatusAsync(watch.ResponseStream, ServingStatus.NotServing);

        store.FailWrites = false;
        await NextStatusAsync(watch.ResponseStream, ServingStatus.Serving);
    }

    [Fact]
    public async Task Watch_DiskFullForAFewSeconds_IsReported()
    {
        using var folder = new TempAuditFolder();
        var store = FailingAuditStorage.Open(folder);
        await using var host = await store.StartHostAsync();
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        using var watch = host.Health.Watch(new HealthCheckRequest(), cancellationToken: stop.Token);
        await NextStatusAsync(watch.ResponseStream, ServingStatus.Serving);

        store.FailEntriesOnly = true;
        await Assert.ThrowsAsync<RpcException>(() => host.Client.CheckAsync(AuditRequests.Infant()).ResponseAsync);
        await NextStatusAsync(watch.ResponseStream, ServingStatus.NotServing);

        store.FailEntriesOnly = false;
        await NextStatusAsync(watch.ResponseStream, ServingStatus.Serving);
    }

    [Fact]
    public async Task Watch_RuleSetLoadedAfterTheStreamOpened_SaysServing()
    {
        await using var host = await TestServerHost.StartAsync(TestPaths.Rules, loadRules: false);
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        using var watch = host.Health.Watch(new HealthCheckRequest(), cancellationToken: stop.Token);
        await NextStatusAsync(watch.ResponseStream, ServingStatus.NotServing);

        Assert.True(host.Provider.Load(TestPaths.Rules).Succeeded);

        await NextStatusAsync(watch.ResponseStream, ServingStatus.Serving);
    }

    [Fact]
    public async Task Watch_HostStops_SaysNotServingAndEnds()
    {
        await using var host = await TestServerHost.StartAsync(TestPaths.Rules);
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        using var watch = host.Health.Watch(new HealthCheckRequest(), cancellationToken: stop.Token);
        await NextStatusAsync(watch.ResponseStream, ServingStatus.Serving);

        var stopping = host.StopAsync();

        await NextStatusAsync(watch.ResponseStream, ServingStatus.NotServing);
        await stopping.WaitAsync(Prompt);
    }

    [Fact]
    public async Task Watch_UnknownService_ServiceUnknownAndTheStreamStaysOpen()
    {
        await using var host = await TestServerHost.StartAsync(TestPaths.Rules);
        using var stop = new CancellationTokenSource();
        using var watch = host.Health.Watch(new HealthCheckRequest { Service = "no.such.Service" }, cancellationToken: stop.Token);

        await NextStatusAsync(watch.ResponseStream, ServingStatus.ServiceUnknown);
        var next = watch.ResponseStream.MoveNext(stop.Token);
        await Task.Delay(TimeSpan.FromSeconds(2));
        Assert.False(next.IsCompleted);

        await stop.CancelAsync();
        var ended = await Assert.ThrowsAsync<RpcException>(() => next);
        Assert.Equal(StatusCode.Cancelled, ended.StatusCode);
    }

    [Fact]
    public async Task Watch_ManyStreams_ShareTheChecksRuns()
    {
        var runs = 0;
        await using var host = await TestServerHost.StartAsync(TestPaths.Rules, configureServices: s => s.AddHealthChecks()
            .AddCheck("counting", () => { Interlocked.Increment(ref runs); return HealthCheckResult.Healthy(); }, tags: ["rules"]));
        using var stop = new CancellationTokenSource();
        var streams = Enumerable.Range(0, 20).Select(_ => host.Health.Watch(new HealthCheckRequest(), cancellationToken: stop.Token)).ToList();
        foreach (var stream in streams)
        {
            await NextStatusAsync(stream.ResponseStream, ServingStatus.Serving);
        }

        var before = Volatile.Read(ref runs);
        await Task.Delay(TimeSpan.FromSeconds(3));
        var during = Volatile.Read(ref runs) - before;
        await stop.CancelAsync();
        streams.ForEach(s => s.Dispose());

        // Twenty streams each running the checks every second would be about 60 runs; shared, a few.
        Assert.InRange(during, 1, 15);
    }

    [Fact]
    public async Task Check_UnknownService_IsNotFoundNamingIt()
    {
        await using var host = await TestServerHost.StartAsync(TestPaths.Rules);

        var error = await Assert.ThrowsAsync<RpcException>(() => host.Health.CheckAsync(new HealthCheckRequest { Service = "no.such.Service" }).ResponseAsync);

        Assert.Equal(StatusCode.NotFound, error.StatusCode);
        Assert.Contains("no.such.Service", error.Status.Detail, StringComparison.Ordinal);
    }

    /// <summary>Reads the stream until it says <paramref name="status"/>, within <see cref="Prompt"/>.</summary>
    private static async Task NextStatusAsync(IAsyncStreamReader<HealthCheckResponse> stream, ServingStatus status)
    {
        var elapsed = Stopwatch.StartNew();
        var seen = new List<ServingStatus>();
        using var bound = new CancellationTokenSource(Prompt);
        try
        {
            while (await stream.MoveNext(bound.Token))
            {
                seen.Add(stream.Current.Status);
                if (stream.Current.Status == status)
                {
                    return;
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
