using System.Net;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using SafetyCheck.IntegrationTests.Infrastructure;
using SafetyCheck.Limits;

namespace SafetyCheck.IntegrationTests.Limits;

public sealed class ConnectionsPerAddressLimiterTests
{
    private static readonly IPEndPoint Local = IPEndPoint.Parse("127.0.0.1:5080");

    [Theory]
    [InlineData("127.0.0.2", "127.0.0.2")]
    [InlineData("::ffff:192.0.2.7", "192.0.2.7")]
    [InlineData("2001:db8:1:2:aaaa:bbbb:cccc:dddd", "2001:db8:1:2::")]
    [InlineData("2001:db8:1:2::1", "2001:db8:1:2::")]
    [InlineData("::1", "::")]
    public void Key_IPv4ByAddress_IPv6ByItsSlash64(string address, string key) =>
        Assert.Equal(IPAddress.Parse(key), ConnectionsPerAddressLimiter.Key(IPAddress.Parse(address)));

    [Fact]
    public async Task OnConnection_OverTheCap_ClosedWithoutTheNextStep_ReportedOncePerIntervalWithTheCount()
    {
        var logs = new TestLogSink();
        var clock = new FakeTimeProvider(TestServerHost.Now);
        using var limiter = Limiter(cap: 2, logs, clock);
        var held = new TaskCompletionSource();
        var reached = 0;
        Task Next(ConnectionContext _)
        {
            Interlocked.Increment(ref reached);
            return held.Task;
        }

        var open = new[] { Connect(limiter, "2001:db8::1", Next), Connect(limiter, "2001:db8::2", Next) };
        for (var i = 0; i < 5; i++)
        {
            await Connect(limiter, "2001:db8::" + (i + 3).ToString(System.Globalization.CultureInfo.InvariantCulture), Next);
        }

        var other = Connect(limiter, "192.0.2.7", Next);
        var reports = logs.Entries.Where(e => e.EventId.Id == 404).ToList();
        clock.Advance(ConnectionsPerAddressLimiter.LogInterval);
        var afterInterval = logs.Entries.Where(e => e.EventId.Id == 404).ToList();

        Assert.Equal(3, reached);
        Assert.Equal(2, limiter.OpenFrom(IPAddress.Parse("2001:db8::ffff")));
        Assert.Contains("Closed 1 connection over", Assert.Single(reports).Message, StringComparison.Ordinal);
        Assert.Equal(2, afterInterval.Count);
        Assert.Contains("Closed 4 connections", afterInterval[1].Message, StringComparison.Ordinal);
        held.SetResult();
        await Task.WhenAll([.. open, other]);
        Assert.Equal(0, limiter.OpenFrom(IPAddress.Parse("2001:db8::1")));
    }

    [Fact]
    public async Task OnConnection_HealthListenerCountedApart()
    {
        var logs = new TestLogSink();
        using var limiter = Limiter(cap: 1, logs, TimeProvider.System, healthUrls: "http://127.0.0.1:5081");
        var held = new TaskCompletionSource();
        var reached = 0;
        Task Next(ConnectionContext _)
        {
            Interlocked.Increment(ref reached);
            return held.Task;
        }

        var main = Connect(limiter, "127.0.0.2", Next);
        var health = Connect(limiter, "127.0.0.2", Next, IPEndPoint.Parse("127.0.0.1:5081"));

        Assert.Equal(2, reached);
        Assert.Equal(1, limiter.OpenFrom(IPAddress.Parse("127.0.0.2"), health: true));
        held.SetResult();
        await Task.WhenAll(main, health);
    }

    private static ConnectionsPerAddressLimiter Limiter(int cap, TestLogSink logs, TimeProvider clock, string healthUrls = "")
    {
        var options = Options.Create(new LimitsOptions { MaxConnectionsPerAddress = cap, HealthUrls = healthUrls });
        return new ConnectionsPerAddressLimiter(options, HealthListener.Parse(healthUrls), clock, new LoggerFactory([logs]).CreateLogger<ConnectionsPerAddressLimiter>());
    }

    private static Task Connect(ConnectionsPerAddressLimiter limiter, string remote, ConnectionDelegate next, IPEndPoint? local = null) =>
        limiter.OnConnectionAsync(new DefaultConnectionContext { RemoteEndPoint = new IPEndPoint(IPAddress.Parse(remote), 40000), LocalEndPoint = local ?? Local }, next);
}
