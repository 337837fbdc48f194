using System.Net;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using SafetyCheck.AuditPage;
using SafetyCheck.IntegrationTests.Infrastructure;

namespace SafetyCheck.IntegrationTests.AuditPage;

/// <summary>Session limits and sign-in throttling, each on a host of its own (they change the clock or count failures).</summary>
public sealed class AuditPageSessionTests
{
    [Fact]
    public async Task Session_OlderThanSessionHours_EndsEvenWhenActive()
    {
        await using var host = await AuditPageHosts.StartAsync(null, "--SafetyCheck:AuditPage:IdleMinutes=60", "--SafetyCheck:AuditPage:SessionHours=1");
        using var client = await AuditPageHosts.SignedInAsync(host);
        host.Clock.Advance(TimeSpan.FromMinutes(50));
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/audit/decisions")).Response.StatusCode);

        host.Clock.Advance(TimeSpan.FromMinutes(15));
        Assert.Equal(HttpStatusCode.Redirect, (await client.GetAsync("/audit/decisions")).Response.StatusCode);
    }

    [Fact]
    public async Task SignOut_ACopyOfTheCookieTakenBefore_IsRefusedAndOtherSessionsGoOn()
    {
        await using var host = await AuditPageHosts.StartAsync();
        using var client = await AuditPageHosts.SignedInAsync(host);
        using var other = await AuditPageHosts.SignedInAsync(host);
        using var copy = AuditPageHosts.Client(host);
        copy.Cookies[AuditPageSchemes.CookieName] = client.Cookies[AuditPageSchemes.CookieName];
        Assert.Equal(HttpStatusCode.OK, (await copy.GetAsync("/audit/decisions")).Response.StatusCode);

        await client.GetAsync("/audit/decisions");
        var (signedOut, _) = await client.PostAsync("/audit/signout");

        Assert.Equal(HttpStatusCode.SeeOther, signedOut.StatusCode);
        Assert.False(client.Cookies.ContainsKey(AuditPageSchemes.CookieName));
        var (refused, _) = await copy.GetAsync("/audit/decisions");
        Assert.Equal(HttpStatusCode.Redirect, refused.StatusCode);
        Assert.Contains(AuditPageSchemes.SignInPath + "?returnUrl=", refused.Headers.Location!.OriginalString, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await other.GetAsync("/audit/decisions")).Response.StatusCode);
        Assert.Equal(HttpStatusCode.SeeOther, (await client.SignInAsync(TestCredentials.AuditorKey)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/audit/decisions")).Response.StatusCode);
    }

    [Fact]
    public void EndedSessions_BeyondTheBound_KeepHalfAndStillRefuseEveryEndedOne()
    {
        var clock = new FakeTimeProvider(TestServerHost.Now);
        var sessions = new AuditPageSessions(Options.Create(new AuditPageOptions()), clock);
        var ended = new List<(string Id, DateTimeOffset SignedIn)>();
        for (var i = 0; i <= AuditPageSessions.MaxEnded; i++)
        {
            var session = (AuditPageSessions.NewId(), clock.GetUtcNow());
            sessions.End(session.Item1, session.Item2);
            ended.Add(session);
            clock.Advance(TimeSpan.FromSeconds(1));
        }

        var later = clock.GetUtcNow();

        Assert.Equal(AuditPageSessions.MaxEnded / 2, sessions.Count);
        Assert.All(ended, e => Assert.True(sessions.IsEnded(e.Id, e.SignedIn)));
        Assert.False(sessions.IsEnded(AuditPageSessions.NewId(), later));
    }

    [Fact]
    public void EndedSessions_PastTheirLifetime_AreForgotten()
    {
        var clock = new FakeTimeProvider(TestServerHost.Now);
        var sessions = new AuditPageSessions(Options.Create(new AuditPageOptions { SessionHours = 1 }), clock);
        for (var i = 0; i < AuditPageSessions.MaxEnded; i++)
        {
            sessions.End(AuditPageSessions.NewId(), clock.GetUtcNow());
        }

        clock.Advance(TimeSpan.FromHours(2));
        var last = AuditPageSessions.NewId();
        sessions.End(last, clock.GetUtcNow());

        Assert.Equal(1, sessions.Count);
        Assert.True(sessions.IsEnded(last, clock.GetUtcNow()));
        Assert.False(sessions.IsEnded(AuditPageSessions.NewId(), clock.GetUtcNow()));
    }

    [Fact]
    public async Task SignIn_AfterTenFailuresInAMinute_IsPausedForTheMinute()
    {
        await using var host = await AuditPageHosts.StartAsync();
        using var client = AuditPageHosts.Client(host);
        for (var i = 0; i < 10; i++)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await client.SignInAsync($"wrong-key-{i}")).StatusCode);
        }

        Assert.Equal(HttpStatusCode.TooManyRequests, (await client.SignInAsync(TestCredentials.AuditorKey)).StatusCode);
        host.Clock.Advance(TimeSpan.FromSeconds(61));
        Assert.Equal(HttpStatusCode.SeeOther, (await client.SignInAsync(TestCredentials.AuditorKey)).StatusCode);
    }

    [Fact]
    public async Task Page_WhenNotConfigured_IsNotServed()
    {
        await using var host = await TestServerHost.StartAsync(TestPaths.Rules);
        using var http = host.CreateHttpClient(token: null);
        using var response = await http.GetAsync("/audit/signin");

        Assert.NotEqual(HttpStatusCode.OK, response.StatusCode);
        Assert.False(response.Headers.Contains("Content-Security-Policy"));
    }
}
