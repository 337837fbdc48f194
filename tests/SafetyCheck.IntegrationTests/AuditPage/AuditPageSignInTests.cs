using System.Net;
using SafetyCheck.IntegrationTests.Infrastructure;

namespace SafetyCheck.IntegrationTests.AuditPage;

/// <summary>Sign-in, the session cookie, sign-out and who is refused, over HTTP on the in-memory host.</summary>
public sealed class AuditPageSignInTests : IAsyncLifetime
{
    private TestServerHost _host = null!;

    public async Task InitializeAsync() => _host = await AuditPageHosts.StartAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task SignIn_AuditorKey_GivesAnHttpOnlyStrictCookieThatOpensThePages()
    {
        using var client = AuditPageHosts.Client(_host);
        var response = await client.SignInAsync(TestCredentials.AuditorKey);

        Assert.Equal(HttpStatusCode.SeeOther, response.StatusCode);
        Assert.Equal("/audit/decisions", response.Headers.Location?.OriginalString);
        var cookie = PageClient.SetCookie(response, "safetycheck-audit");
        Assert.NotNull(cookie);
        var attributes = cookie.Split(';', StringSplitOptions.TrimEntries).Skip(1).Select(a => a.ToLowerInvariant()).ToArray();
        Assert.Contains("httponly", attributes);
        Assert.Contains("samesite=strict", attributes);
        Assert.Contains("path=/audit", attributes);
        Assert.Contains(attributes, a => a.StartsWith("expires=", StringComparison.Ordinal));
        Assert.DoesNotContain("secure", attributes); // plain http here; the TLS test checks Secure

        var (page, html) = await client.GetAsync("/audit/decisions");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("Signed in as <strong>test-auditor</strong>", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SignIn_ClinicalAppKey_IsRefusedAndGetsNoSession()
    {
        using var client = AuditPageHosts.Client(_host);
        var response = await client.SignInAsync(TestCredentials.ClinicalAppKey);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Null(PageClient.SetCookie(response, "safetycheck-audit"));
        Assert.Contains("does not hold the auditor role", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var (page, _) = await client.GetAsync("/audit/decisions");
        Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
        Assert.Contains(_host.Logs.Entries, e => e.EventId.Id == 703 && e.Message.Contains("test-clinical-app", StringComparison.Ordinal));
    }

    [Fact]
    public async Task SignIn_RulesAdminKey_IsRefused()
    {
        using var client = AuditPageHosts.Client(_host);
        Assert.Equal(HttpStatusCode.Forbidden, (await client.SignInAsync(TestCredentials.RulesAdminKey)).StatusCode);
    }

    [Fact]
    public async Task SignIn_UnknownKey_IsRefusedAndTheKeyIsNeverLogged()
    {
        using var client = AuditPageHosts.Client(_host);
        var response = await client.SignInAsync("not-a-key-anyone-configured-4242");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Null(PageClient.SetCookie(response, "safetycheck-audit"));

        // The refusal is announced and describes the key field, so a screen reader reads it again there.
        var page = HtmlAccessibility.AssertStructure(await response.Content.ReadAsStringAsync(), "refused sign-in");
        Assert.Equal("alert", page.GetElementById("sign-in-message")!.GetAttribute("role"));
        Assert.Equal("sign-in-message key-help", page.GetElementById("key")!.GetAttribute("aria-describedby"));
        Assert.DoesNotContain(_host.Logs.Entries, e => e.Message.Contains("not-a-key-anyone-configured-4242", StringComparison.Ordinal));
    }

    [Fact]
    public async Task SignIn_WithoutAntiforgeryToken_IsRefused()
    {
        using var client = AuditPageHosts.Client(_host);
        await client.GetAsync("/audit/signin");
        var (response, html) = await client.PostAsync("/audit/signin", new Dictionary<string, string> { ["key"] = TestCredentials.AuditorKey }, withToken: false);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Null(PageClient.SetCookie(response, "safetycheck-audit"));
        Assert.Contains("anti-forgery token", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SignIn_TokenOfAnotherBrowser_IsRefused()
    {
        using var other = AuditPageHosts.Client(_host);
        await other.GetAsync("/audit/signin");
        using var client = AuditPageHosts.Client(_host);
        await client.GetAsync("/audit/signin");
        var (response, _) = await client.PostAsync("/audit/signin", new Dictionary<string, string>
        {
            ["key"] = TestCredentials.AuditorKey,
            ["__RequestVerificationToken"] = other.Token!,
        }, withToken: false);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task SignIn_ReturnUrlOfAnotherSite_GoesToTheDecisions()
    {
        using var client = AuditPageHosts.Client(_host);
        await client.GetAsync("/audit/signin");
        var (response, _) = await client.PostAsync("/audit/signin", new Dictionary<string, string>
        {
            ["key"] = TestCredentials.AuditorKey,
            ["returnUrl"] = "//evil.example/audit/",
        });

        Assert.Equal("/audit/decisions", response.Headers.Location?.OriginalString);
    }

    [Theory]
    [InlineData("/audit/decisions")]
    [InlineData("/audit/trail")]
    [InlineData("/audit/revisions")]
    [InlineData("/audit/pictures")]
    [InlineData("/audit/no-such-page")]
    public async Task Page_WithoutSession_GoesToSignIn(string path)
    {
        using var client = AuditPageHosts.Client(_host);
        var (response, _) = await client.GetAsync(path);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal($"http://localhost/audit/signin?returnUrl={Uri.EscapeDataString(path)}", response.Headers.Location?.ToString());
    }

    [Fact]
    public async Task Page_WithAuditorBearerKeyAndNoSession_IsNotServed()
    {
        using var http = _host.CreateHttpClient(TestCredentials.AuditorKey);
        using var response = await http.GetAsync("/audit/decisions");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
    }

    [Fact]
    public async Task Form_WithoutAntiforgeryToken_IsRefusedWhenSignedIn()
    {
        using var client = await AuditPageHosts.SignedInAsync(_host);
        var (verify, _) = await client.PostAsync("/audit/trail/verify", withToken: false);
        var (signOut, _) = await client.PostAsync("/audit/signout", withToken: false);

        Assert.Equal(HttpStatusCode.BadRequest, verify.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, signOut.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/audit/decisions")).Response.StatusCode);
    }

    [Fact]
    public async Task SignOut_WithToken_EndsTheSession()
    {
        using var client = await AuditPageHosts.SignedInAsync(_host);
        await client.GetAsync("/audit/decisions");
        var stolen = client.Cookies["safetycheck-audit"];
        var (response, _) = await client.PostAsync("/audit/signout");

        Assert.Equal(HttpStatusCode.SeeOther, response.StatusCode);
        Assert.Equal("/audit/signin?problem=signed-out", response.Headers.Location?.OriginalString);
        Assert.Equal(HttpStatusCode.Redirect, (await client.GetAsync("/audit/decisions")).Response.StatusCode);
        Assert.NotNull(stolen.Value);
    }

    [Fact]
    public async Task Session_IdleLongerThanIdleMinutes_Ends()
    {
        using var client = await AuditPageHosts.SignedInAsync(_host);
        _host.Clock.Advance(TimeSpan.FromMinutes(20));
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/audit/decisions")).Response.StatusCode);
        _host.Clock.Advance(TimeSpan.FromMinutes(20));
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/audit/decisions")).Response.StatusCode);

        _host.Clock.Advance(TimeSpan.FromMinutes(31));
        Assert.Equal(HttpStatusCode.Redirect, (await client.GetAsync("/audit/decisions")).Response.StatusCode);
    }
}
