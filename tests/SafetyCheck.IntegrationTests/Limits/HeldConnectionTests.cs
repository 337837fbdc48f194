using System.Diagnostics;
using System.Globalization;
using System.Net;
using Grpc.Core;
using Grpc.Health.V1;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.DependencyInjection;
using SafetyCheck.IntegrationTests.Infrastructure;
using SafetyCheck.Limits;
using SafetyCheck.Protos.V1;
using Xunit.Abstractions;
using SafetyCheckApi = SafetyCheck.Protos.V1.SafetyCheck;

namespace SafetyCheck.IntegrationTests.Limits;

/// <summary>
/// One client holding idle or preface-only sockets cannot lock others out: on real Kestrel, connections over the
/// per-address cap are closed at once, idle ones are closed after the idle timeout, silent ones after an unanswered
/// PING, and the health listener answers while every connection slot of the main address is taken. The number of
/// sockets held by the first test is <see cref="SocketsVariable"/> of each kind (default 200; 2000 for the probe).
/// </summary>
[Collection(RunAlone.Name)]
public sealed class HeldConnectionTests(ITestOutputHelper output)
{
    /// <summary>Environment variable: how many idle and how many preface-only sockets the exhaustion test holds.</summary>
    public const string SocketsVariable = "SAFETYCHECK_HELD_SOCKETS";

    // Liveness bound for the calls of another client, in seconds: without the cap they would wait for the held
    // sockets to time out (minutes). Measured times are written to the test output.
    private const int AnswerDeadlineSeconds = 5;

    private static readonly IPAddress Attacker = IPAddress.Parse("127.0.0.2");
    private static readonly IPAddress Other = IPAddress.Parse("127.0.0.3");

    private static DateTime Deadline(int seconds) => TimeProvider.System.GetUtcNow().UtcDateTime.AddSeconds(seconds);

    [Fact]
    public async Task IdleAndPrefaceOnlySocketsFromOneAddress_HealthAndCheckFromAnotherAddressAnswer()
    {
        var perKind = int.TryParse(Environment.GetEnvironmentVariable(SocketsVariable), CultureInfo.InvariantCulture, out var n) && n > 0 ? n : 200;
        await using var host = await KestrelTestHost.StartAsync([.. TestCredentials.ApiKeyArguments, "--SafetyCheck:Limits:MaxConnectionsPerAddress=64"]);
        host.Logs.Retained = LogLevel.Warning;
        var clock = Stopwatch.StartNew();

        using var idle = await HeldConnections.OpenAsync(host.EndPoint(), Attacker, perKind);
        using var preface = await HeldConnections.OpenAsync(host.EndPoint(), Attacker, perKind, HeldConnections.Preface);
        var opened = clock.Elapsed;
        using var channel = host.CreateChannelFrom(Other, TestCredentials.ClinicalAppKey);

        clock.Restart();
        var health = await new Health.HealthClient(channel).CheckAsync(new HealthCheckRequest(), deadline: Deadline(AnswerDeadlineSeconds));
        var healthTime = clock.Elapsed;
        clock.Restart();
        var decision = await new SafetyCheckApi.SafetyCheckClient(channel).CheckAsync(SampleRequests.Infant(), deadline: Deadline(AnswerDeadlineSeconds));
        var checkTime = clock.Elapsed;
        var closed = await idle.WaitForClosedAsync(perKind - 64, TimeSpan.FromSeconds(10)) + await preface.WaitForClosedAsync(perKind, TimeSpan.FromSeconds(1));

        output.WriteLine($"{perKind} idle + {perKind} preface-only sockets from {Attacker} opened in {opened.TotalMilliseconds:0} ms; server closed {closed}; "
            + $"from {Other}: health {healthTime.TotalMilliseconds:0} ms, Check {checkTime.TotalMilliseconds:0} ms");
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, health.Status);
        Assert.NotEqual(Suitability.Unspecified, decision.Suitability);
        Assert.True(closed >= (2 * perKind) - 64, $"only {closed} of {2 * perKind} held sockets were closed");
        Assert.Equal(64, host.App.Services.GetRequiredService<ConnectionsPerAddressLimiter>().OpenFrom(Attacker));
        Assert.Contains(host.Logs.Entries, e => e.EventId.Id == 404);
    }

    [Fact]
    public async Task ConnectionOverThePerAddressCap_IsClosedAtOnce_OthersStayOpen()
    {
        await using var host = await KestrelTestHost.StartAsync([.. TestCredentials.ApiKeyArguments, "--SafetyCheck:Limits:MaxConnectionsPerAddress=3"]);

        using var held = await HeldConnections.OpenAsync(host.EndPoint(), Attacker, 5);
        var closed = await held.WaitForClosedAsync(2, TimeSpan.FromSeconds(5));
        var more = await held.WaitForClosedAsync(3, TimeSpan.FromMilliseconds(500));

        Assert.Equal(2, closed);
        Assert.Equal(2, more);
        Assert.Equal(3, host.App.Services.GetRequiredService<ConnectionsPerAddressLimiter>().OpenFrom(Attacker));
    }

    [Fact]
    public async Task IdleSocket_ClosedAfterTheIdleTimeout()
    {
        await using var host = await KestrelTestHost.StartAsync([.. TestCredentials.ApiKeyArguments, "--SafetyCheck:Limits:IdleTimeoutSeconds=1"]);

        using var held = await HeldConnections.OpenAsync(host.EndPoint(), Attacker, 3);
        var closed = await held.WaitForClosedAsync(3, TimeSpan.FromSeconds(10));

        Assert.Equal(3, closed);
    }

    [Fact]
    public async Task PrefaceOnlySocket_ThatNeverAnswersAPing_IsClosed()
    {
        await using var host = await KestrelTestHost.StartAsync(
        [
            .. TestCredentials.ApiKeyArguments,
            "--SafetyCheck:Limits:IdleTimeoutSeconds=600",
            "--SafetyCheck:Limits:KeepAlivePingDelaySeconds=1",
            "--SafetyCheck:Limits:KeepAlivePingTimeoutSeconds=1",
        ]);

        using var held = await HeldConnections.OpenAsync(host.EndPoint(), Attacker, 2, HeldConnections.Preface);
        var closed = await held.WaitForClosedAsync(2, TimeSpan.FromSeconds(10));

        Assert.Equal(2, closed);
    }

    [Fact]
    public async Task HealthListener_AnswersWhileTheMainAddressIsFull_AndServesHealthOnly()
    {
        var healthUrl = $"http://127.0.0.1:{KestrelTestHost.FreeLoopbackPort()}";
        await using var host = await KestrelTestHost.StartAsync(
        [
            .. TestCredentials.ApiKeyArguments,
            "--SafetyCheck:Limits:MaxConcurrentConnections=8",
            "--SafetyCheck:Limits:MaxConnectionsPerAddress=0",
            $"--SafetyCheck:Limits:HealthUrls={healthUrl}",
        ]);
        var main = host.App.Urls.Single(u => u != healthUrl);

        // Preface-only, and answered by the server, so that all 8 hold their slots before the next client comes (on a
        // busy machine the server may otherwise take a later connection's slot before an earlier one's).
        using var held = await HeldConnections.OpenAsync(host.EndPoint(main), Attacker, 8, HeldConnections.Preface);
        Assert.Equal(8, await held.WaitUntilAnsweredAsync(8, TimeSpan.FromSeconds(30)));
        using var mainChannel = host.CreateChannelFrom(Other, TestCredentials.ClinicalAppKey, main);
        using var healthChannel = host.CreateChannelFrom(Other, TestCredentials.ClinicalAppKey, healthUrl);
        var refused = await Assert.ThrowsAsync<RpcException>(() => new Health.HealthClient(mainChannel).CheckAsync(new HealthCheckRequest(), deadline: Deadline(5)).ResponseAsync);
        var health = await new Health.HealthClient(healthChannel).CheckAsync(new HealthCheckRequest(), deadline: Deadline(5));
        var check = await Assert.ThrowsAsync<RpcException>(() => new SafetyCheckApi.SafetyCheckClient(healthChannel).CheckAsync(SampleRequests.Infant()).ResponseAsync);

        // The full listener closes the connection: the client reports UNAVAILABLE, or INTERNAL when the close came
        // after its request was sent; either way a status it made up (with the transport's exception), not one sent.
        Assert.Contains(refused.StatusCode, new[] { StatusCode.Unavailable, StatusCode.Internal });
        Assert.NotNull(refused.Status.DebugException);
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, health.Status);
        Assert.Equal(StatusCode.Unimplemented, check.StatusCode);
    }
}
