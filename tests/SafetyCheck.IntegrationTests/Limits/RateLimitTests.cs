using System.Diagnostics;
using Grpc.Core;
using Grpc.Health.V1;
using SafetyCheck.IntegrationTests.Infrastructure;
using SafetyCheck.Limits;
using SafetyCheckApi = SafetyCheck.Protos.V1.SafetyCheck;

namespace SafetyCheck.IntegrationTests.Limits;

/// <summary>Each caller has its own bucket: by name once authenticated, else by address; health is never limited.</summary>
public sealed class RateLimitTests
{
    private const int PerSecond = 3;

    [Fact]
    public async Task Check_OverTheCallersRate_ResourceExhausted_OthersUnaffected()
    {
        await using var host = await StartAsync();
        var auditor = new SafetyCheckApi.SafetyCheckClient(host.CreateChannel(TestCredentials.AuditorKey));

        var watch = Stopwatch.StartNew();
        var clinical = new List<RpcException?>();
        for (var i = 0; i < 20; i++)
        {
            clinical.Add(await CallAsync(() => host.Client.CheckAsync(SampleRequests.Infant()).ResponseAsync));
        }

        var seconds = (int)Math.Ceiling(watch.Elapsed.TotalSeconds);
        var other = await CallAsync(() => auditor.CheckAsync(SampleRequests.Infant()).ResponseAsync);

        // The bucket holds 3 and refills 3 a second, so at most 3 more per second the loop took.
        Assert.InRange(clinical.Count(e => e is null), PerSecond, PerSecond * (1 + seconds));
        var refused = clinical.Where(e => e is not null).ToArray();
        Assert.NotEmpty(refused);
        Assert.All(refused, e =>
        {
            Assert.Equal(StatusCode.ResourceExhausted, e!.StatusCode);
            Assert.Contains("the limit is 3 per second", e.Status.Detail, StringComparison.Ordinal);
        });

        // Another caller has its own bucket: it reaches authorization, which refuses its role.
        Assert.Equal(StatusCode.PermissionDenied, other!.StatusCode);
    }

    [Fact]
    public async Task Refusals_LoggedAtOnceThenOncePerIntervalWithTheirCount()
    {
        await using var host = await StartAsync();

        var refused = 0;
        for (var i = 0; i < 20; i++)
        {
            if (await CallAsync(() => host.Client.CheckAsync(SampleRequests.Infant()).ResponseAsync) is { StatusCode: StatusCode.ResourceExhausted })
            {
                refused++;
            }
        }

        var reportedAtOnce = Reports(host);
        await host.SettledAsync();
        host.Clock.Advance(CallRefusals.LogInterval);
        var reported = Reports(host);

        Assert.True(refused >= 2, $"{refused} calls refused");
        var first = Assert.Single(reportedAtOnce);
        Assert.Contains("Refused 1 call with RESOURCE_EXHAUSTED over a caller's 3 calls per second since the last report", first, StringComparison.Ordinal);
        Assert.Contains("the latest to /safetycheck.v1.SafetyCheck/Check from caller:", first, StringComparison.Ordinal);
        Assert.Equal(2, reported.Count);
        Assert.Contains($"Refused {refused - 1} {(refused - 1 == 1 ? "call" : "calls")} with", reported[1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unauthenticated_LimitedByAddress_BeforeTheirCredentialsAreJudged()
    {
        await using var host = await StartAsync();
        var anonymous = new SafetyCheckApi.SafetyCheckClient(host.CreateChannel("guessed-key-0000000000000000"));

        var statuses = new List<StatusCode>();
        for (var i = 0; i < 20; i++)
        {
            statuses.Add((await CallAsync(() => anonymous.CheckAsync(SampleRequests.Infant()).ResponseAsync))!.StatusCode);
        }

        Assert.Contains(StatusCode.Unauthenticated, statuses);
        Assert.Contains(StatusCode.ResourceExhausted, statuses);
        Assert.All(statuses, s => Assert.Contains(s, new[] { StatusCode.Unauthenticated, StatusCode.ResourceExhausted }));
    }

    [Fact]
    public async Task Health_IsNeverRateLimited()
    {
        await using var host = await StartAsync();

        for (var i = 0; i < 30; i++)
        {
            var health = await host.Health.CheckAsync(new HealthCheckRequest());
            Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, health.Status);
        }
    }

    private static List<string> Reports(TestServerHost host) =>
        [.. host.Logs.Entries.Where(e => e.EventId.Id == 402).Select(e => e.Message)];

    private static async Task<TestServerHost> StartAsync()
    {
        var host = await TestServerHost.StartAsync(TestPaths.Rules, args:
        [
            $"--SafetyCheck:Limits:CallsPerSecondPerCaller={PerSecond}",
            $"--SafetyCheck:Limits:CallBurstPerCaller={PerSecond}",
        ]);
        return host;
    }

    private static async Task<RpcException?> CallAsync(Func<Task> call)
    {
        try
        {
            await call();
            return null;
        }
        catch (RpcException e)
        {
            return e;
        }
    }
}
