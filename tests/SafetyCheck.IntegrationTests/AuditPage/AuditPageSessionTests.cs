using System.Net;
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
