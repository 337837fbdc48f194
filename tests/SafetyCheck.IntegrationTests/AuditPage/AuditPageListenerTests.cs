using System.Net;
using System.Security.Cryptography.X509Certificates;
using Grpc.Core;
using Grpc.Health.V1;
using SafetyCheck.AuditPage;
using SafetyCheck.IntegrationTests.Infrastructure;

namespace SafetyCheck.IntegrationTests.AuditPage;

/// <summary>
/// The page's own listener on a real Kestrel: HTTP/1.1 in cleartext on loopback, HTTP/2 and HTTP/1.1 over TLS, the
/// page only there, and the gRPC listener still cleartext HTTP/2 without the page.
/// </summary>
public sealed class AuditPageListenerTests
{
    private static readonly X509Certificate2 ServerCertificate = TestCertificates.Server();

    [Fact]
    public async Task PageListener_Cleartext_SpeaksHttp11AndServesThePageOnly()
    {
        var port = KestrelTestHost.FreeLoopbackPort();
        await using var host = await KestrelTestHost.StartAsync([$"--SafetyCheck:AuditPage:Urls=http://127.0.0.1:{port}", .. TestCredentials.ApiKeyArguments]);
        using var http = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false }) { BaseAddress = new Uri($"http://127.0.0.1:{port}") };

        using var signIn = await http.GetAsync("/audit/signin");
        using var root = await http.GetAsync("/");
        using var grpcPath = await http.GetAsync("/grpc.health.v1.Health/Check");

        Assert.Equal(HttpStatusCode.OK, signIn.StatusCode);
        Assert.Equal(HttpVersion.Version11, signIn.Version);
        Assert.Equal(HttpStatusCode.Redirect, root.StatusCode);
        Assert.Equal("/audit/", root.Headers.Location?.OriginalString);
        Assert.Equal(HttpStatusCode.NotFound, grpcPath.StatusCode);
        Assert.True(grpcPath.Headers.Contains("Content-Security-Policy"));
    }

    [Fact]
    public async Task GrpcListener_WithThePageOn_StaysCleartextHttp2WithoutThePage()
    {
        var port = KestrelTestHost.FreeLoopbackPort();
        await using var host = await KestrelTestHost.StartAsync([$"--SafetyCheck:AuditPage:Urls=http://127.0.0.1:{port}", .. TestCredentials.ApiKeyArguments]);
        using var channel = host.CreateChannel(token: null);
        var health = await new Health.HealthClient(channel).CheckAsync(new HealthCheckRequest());
        using var h2c = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false })
        {
            DefaultRequestVersion = HttpVersion.Version20,
            DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };
        using var page = await h2c.GetAsync(host.Address + "/audit/signin");
        using var other = await h2c.GetAsync(host.Address + "/a/b/c");

        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, health.Status);
        Assert.Equal(other.StatusCode, page.StatusCode);
        Assert.NotEqual(HttpStatusCode.OK, page.StatusCode);
        Assert.False(page.Headers.Contains("Content-Security-Policy"));
    }

    [Theory]
    [InlineData(null, StatusCode.Unauthenticated)]
    [InlineData(TestCredentials.AuditorKey, StatusCode.PermissionDenied)]
    [InlineData(TestCredentials.AllRolesKey, StatusCode.PermissionDenied)]
    public async Task GrpcListener_PagePath_AnsweredAsAnyPathThatIsNotAMethod(string? key, StatusCode expected)
    {
        var port = KestrelTestHost.FreeLoopbackPort();
        await using var host = await KestrelTestHost.StartAsync([$"--SafetyCheck:AuditPage:Urls=http://127.0.0.1:{port}", .. TestCredentials.ApiKeyArguments]);
        using var h2c = new HttpClient(new BearerTokenHandler(key, new SocketsHttpHandler { AllowAutoRedirect = false })) { BaseAddress = new Uri(host.Address) };

        var decisions = await RawGrpcRequest.SendAsync(h2c, "/audit/decisions", [0, 0, 0, 0, 0]);
        var signIn = await RawGrpcRequest.SendAsync(h2c, "/audit/signin", [0, 0, 0, 0, 0]);
        var other = await RawGrpcRequest.SendAsync(h2c, "/a/b/c", [0, 0, 0, 0, 0]);

        Assert.Equal(expected, other.AsClientSeesIt);
        Assert.Equal(expected, decisions.AsClientSeesIt);
        Assert.Equal(expected, signIn.AsClientSeesIt);
    }

    [Fact]
    public async Task PageListener_Tls_SpeaksHttp2AndHttp11AndTheSessionCookieIsSecure()
    {
        var port = KestrelTestHost.FreeLoopbackPort();
        var (certificate, key) = TestCertificates.WritePem(ServerCertificate);
        await using var host = await KestrelTestHost.StartAsync(
        [
            $"--SafetyCheck:AuditPage:Urls=https://127.0.0.1:{port}",
            $"--Kestrel:Certificates:Default:Path={certificate}",
            $"--Kestrel:Certificates:Default:KeyPath={key}",
            .. TestCredentials.ApiKeyArguments,
        ]);
        var handler = TestCertificates.Handler(ServerCertificate);
        handler.AllowAutoRedirect = false;
        using var client = new PageClient(handler, new Uri($"https://127.0.0.1:{port}/"));
        var (signInPage, _) = await client.GetAsync("/audit/signin");
        var response = await client.SignInAsync(TestCredentials.AuditorKey);
        using var http11 = new HttpClient(TestCertificates.Handler(ServerCertificate)) { DefaultRequestVersion = HttpVersion.Version11 };
        using var old = await http11.GetAsync($"https://127.0.0.1:{port}/audit/signin");
        using var http2 = new HttpClient(TestCertificates.Handler(ServerCertificate)) { DefaultRequestVersion = HttpVersion.Version20 };
        using var asset = await http2.GetAsync($"https://127.0.0.1:{port}/audit/assets/audit.css");

        Assert.Equal(HttpStatusCode.SeeOther, response.StatusCode);
        Assert.Contains("secure", PageClient.SetCookie(response, "safetycheck-audit")!.Split(';', StringSplitOptions.TrimEntries), StringComparer.OrdinalIgnoreCase);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/audit/decisions")).Response.StatusCode);
        Assert.Equal("max-age=31536000", string.Join(",", signInPage.Headers.GetValues("Strict-Transport-Security")));
        Assert.Equal(HttpVersion.Version11, old.Version);
        Assert.Equal(HttpStatusCode.OK, old.StatusCode);
        Assert.Equal(HttpStatusCode.OK, asset.StatusCode);
        Assert.Equal(HttpVersion.Version20, asset.Version);
    }

    [Theory]
    [InlineData("http://127.0.0.1:5082", true)]
    [InlineData("http://localhost:5082", true)]
    [InlineData("http://[::1]:5082", true)]
    [InlineData("https://0.0.0.0:5443", true)]
    [InlineData("http://0.0.0.0:5082", false)]
    [InlineData("http://audit.example.org:5082", false)]
    [InlineData("http://127.0.0.1", false)]
    [InlineData("http://127.0.0.1:5082/audit", false)]
    [InlineData("ftp://127.0.0.1:5082", false)]
    [InlineData("http://unix:/run/safetycheck.sock", false)]
    public void Problem_AcceptsTlsAnywhereAndCleartextOnLoopbackOnly(string url, bool acceptable) =>
        Assert.Equal(acceptable, AuditPageListener.Problem(url) is null);
}
