using System.Net;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.Extensions.DependencyInjection;
using SafetyCheck.AuditPage;
using SafetyCheck.IntegrationTests.Infrastructure;

namespace SafetyCheck.IntegrationTests.AuditPage;

/// <summary>
/// Sign-in through the OpenID Connect issuer configured for JWT: the authorization-code flow with PKCE end to end,
/// against a small issuer on the in-memory server (<see cref="TestOpenIdIssuer"/>).
/// </summary>
public sealed class AuditPageOpenIdConnectTests : IAsyncLifetime
{
    private TestOpenIdIssuer _issuer = null!;
    private TestServerHost _host = null!;

    public async Task InitializeAsync()
    {
        _issuer = await TestOpenIdIssuer.StartAsync(new Microsoft.Extensions.Time.Testing.FakeTimeProvider(TestServerHost.Now));
        _host = await TestServerHost.StartAsync(TestPaths.Rules, args:
            [
                AuditPageHosts.PageArgument,
                $"--SafetyCheck:Authentication:Jwt:Issuer={TestOpenIdIssuer.Authority}",
                "--SafetyCheck:Authentication:Jwt:Audience=safetycheck",
                $"--SafetyCheck:Authentication:Jwt:Authority={TestOpenIdIssuer.Authority}",
                "--SafetyCheck:AuditPage:OpenIdConnect:ClientId=audit-page",
            ],
            configureServices: services => services.AddOptions<OpenIdConnectOptions>(AuditPageSchemes.OpenIdConnect)
                .Configure(o => o.Backchannel = new HttpClient(_issuer.CreateHandler())));
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        await _issuer.DisposeAsync();
    }

    [Fact]
    public async Task SignIn_ThroughTheIssuerWithTheAuditorRole_UsesPkceAndOpensThePages()
    {
        using var client = AuditPageHosts.Client(_host);
        var (signIn, html) = await client.GetAsync("/audit/signin");
        Assert.Contains("Sign in with the identity provider", html, StringComparison.Ordinal);

        var callback = await GoThroughIssuerAsync(client, "/audit/signin/oidc?returnUrl=%2Faudit%2Ftrail");
        Assert.Equal("S256", _issuer.LastAuthorization!["code_challenge_method"]);
        Assert.Equal("audit-page", _issuer.LastAuthorization["client_id"]);
        Assert.NotEqual("form_post", _issuer.LastAuthorization["response_mode"].ToString()); // the code comes back in the query, a top-level GET
        Assert.Equal(HttpStatusCode.Redirect, callback.StatusCode);
        Assert.Equal("/audit/trail", callback.Headers.Location?.OriginalString);
        Assert.Equal(1, _issuer.TokensIssued);
        Assert.Equal(0, _issuer.RefusedVerifiers);
        var cookie = PageClient.SetCookie(callback, "safetycheck-audit");
        Assert.NotNull(cookie);
        Assert.Contains("samesite=strict", cookie, StringComparison.OrdinalIgnoreCase);

        var (page, trail) = await client.GetAsync("/audit/trail");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("Signed in as <strong>auditor-ada</strong>", trail, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, signIn.StatusCode);
    }

    [Fact]
    public async Task SignIn_ThroughTheIssuerWithoutTheAuditorRole_IsRefused()
    {
        _issuer.Subject = "scheduler-7";
        _issuer.Roles = ["clinical-app"];
        using var client = AuditPageHosts.Client(_host);
        var callback = await GoThroughIssuerAsync(client, "/audit/signin/oidc");

        Assert.Equal("/audit/signin?problem=not-auditor", callback.Headers.Location?.OriginalString);
        Assert.Null(PageClient.SetCookie(callback, "safetycheck-audit"));
        Assert.Equal(HttpStatusCode.Redirect, (await client.GetAsync("/audit/decisions")).Response.StatusCode);
        Assert.Contains(_host.Logs.Entries, e => e.EventId.Id == 703 && e.Message.Contains("scheduler-7", StringComparison.Ordinal));
    }

    [Fact]
    public async Task SignIn_CallbackWithoutItsCorrelationCookie_IsRefused()
    {
        using var client = AuditPageHosts.Client(_host);
        var (challenge, _) = await client.GetAsync("/audit/signin/oidc");
        using var issuer = new HttpClient(_issuer.CreateHandler());
        using var authorized = await issuer.GetAsync(challenge.Headers.Location);
        client.Cookies.Clear();
        var (callback, _) = await client.GetAsync(authorized.Headers.Location!.PathAndQuery);

        Assert.Equal("/audit/signin?problem=issuer", callback.Headers.Location?.OriginalString);
        Assert.Null(PageClient.SetCookie(callback, "safetycheck-audit"));
        Assert.Equal(0, _issuer.TokensIssued);
    }

    /// <summary>Follows the page to the issuer and back, as a browser would; returns the page's answer to the callback.</summary>
    private async Task<HttpResponseMessage> GoThroughIssuerAsync(PageClient client, string start)
    {
        var (challenge, _) = await client.GetAsync(start);
        Assert.Equal(HttpStatusCode.Redirect, challenge.StatusCode);
        Assert.StartsWith(TestOpenIdIssuer.Authority + "/authorize?", challenge.Headers.Location!.ToString(), StringComparison.Ordinal);
        using var issuer = new HttpClient(_issuer.CreateHandler());
        using var authorized = await issuer.GetAsync(challenge.Headers.Location);
        Assert.Equal(HttpStatusCode.Redirect, authorized.StatusCode);
        var back = authorized.Headers.Location!;
        Assert.Equal("/audit/signin/oidc/callback", back.AbsolutePath);
        var (callback, _) = await client.GetAsync(back.PathAndQuery);
        return callback;
    }
}
