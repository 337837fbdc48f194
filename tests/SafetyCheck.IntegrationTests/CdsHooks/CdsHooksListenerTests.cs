using System.Net;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;
using Grpc.Core;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using SafetyCheck.IntegrationTests.Infrastructure;

namespace SafetyCheck.IntegrationTests.CdsHooks;

/// <summary>The service on real listeners: HTTP/2 and HTTP/1.1 over TLS, HTTP/1.1 in cleartext, kept apart from gRPC; keys from a JWKS URL.</summary>
public sealed class CdsHooksListenerTests
{
    private static readonly X509Certificate2 ServerCertificate = TestCertificates.Server();

    [Theory]
    [InlineData(2)]
    [InlineData(1)]
    public async Task Discovery_OverTls_AnswersHttp2AndHttp11(int major)
    {
        using var ehr = new TestEhr(TimeProvider.System.GetUtcNow());
        var port = KestrelTestHost.FreeLoopbackPort();
        var (certificate, key) = TestCertificates.WritePem(ServerCertificate);
        await using var host = await KestrelTestHost.StartAsync(ehr.Arguments(
            $"--SafetyCheck:CdsHooks:Urls=https://127.0.0.1:{port}",
            $"--Kestrel:Certificates:Default:Path={certificate}",
            $"--Kestrel:Certificates:Default:KeyPath={key}"));
        using var client = new HttpClient(TestCertificates.Handler(ServerCertificate));
        using var request = ehr.Request(HttpMethod.Get, $"https://127.0.0.1:{port}/cds-services", token: ehr.Token("/cds-services"));
        request.Version = new Version(major, major == 2 ? 0 : 1);
        request.VersionPolicy = HttpVersionPolicy.RequestVersionExact;

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(major, response.Version.Major);
        Assert.Equal(2, JsonNode.Parse(await response.Content.ReadAsStringAsync())!["services"]!.AsArray().Count);
    }

    [Fact]
    public async Task Listeners_CleartextHttp11ForCdsHooks_AndEachServesOnlyItsOwn()
    {
        using var ehr = new TestEhr(TimeProvider.System.GetUtcNow());
        var port = KestrelTestHost.FreeLoopbackPort();
        await using var host = await KestrelTestHost.StartAsync(ehr.Arguments($"--SafetyCheck:CdsHooks:Urls=http://127.0.0.1:{port}"));
        using var http11 = new HttpClient();
        using var h2c = new HttpClient { DefaultRequestVersion = HttpVersion.Version20, DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact };

        using var discovery = await http11.SendAsync(ehr.Request(HttpMethod.Get, $"http://127.0.0.1:{port}/cds-services", token: ehr.Token("/cds-services")));
        using var grpcOnCds = await http11.PostAsync($"http://127.0.0.1:{port}/safetycheck.v1.SafetyCheck/Check", new ByteArrayContent([]));
        using var cdsOnGrpc = await h2c.GetAsync(host.Address + "/cds-services");
        using var otherOnGrpc = await h2c.GetAsync(host.Address + "/a/b/c");
        using var grpcClient = new HttpClient(new BearerTokenHandler(TestCredentials.AllRolesKey, new SocketsHttpHandler())) { BaseAddress = new Uri(host.Address) };
        var cdsCalledAsGrpc = await RawGrpcRequest.SendAsync(grpcClient, "/cds-services", [0, 0, 0, 0, 0]);
        var otherCalledAsGrpc = await RawGrpcRequest.SendAsync(grpcClient, "/a/b/c", [0, 0, 0, 0, 0]);

        Assert.Equal(HttpStatusCode.OK, discovery.StatusCode);
        Assert.Equal(new Version(1, 1), discovery.Version);
        Assert.Equal(HttpStatusCode.NotFound, grpcOnCds.StatusCode);
        // On the gRPC address /cds-services is any path that is not a method: never served, refused by the access checks.
        Assert.Equal(otherOnGrpc.StatusCode, cdsOnGrpc.StatusCode);
        Assert.NotEqual(HttpStatusCode.OK, cdsOnGrpc.StatusCode);
        Assert.Equal(otherCalledAsGrpc.AsClientSeesIt, cdsCalledAsGrpc.AsClientSeesIt);
        Assert.True(cdsCalledAsGrpc.AsClientSeesIt is StatusCode.Unauthenticated or StatusCode.PermissionDenied, cdsCalledAsGrpc.ToString());
    }

    [Fact]
    public async Task Token_KeysFromTheIssuersJwksUrl_RotatedKeyFetchedAgain()
    {
        var jwks = "";
        var fetches = 0;
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        await using var jwksServer = builder.Build();
        jwksServer.Run(context =>
        {
            Interlocked.Increment(ref fetches);
            context.Response.ContentType = "application/json";
            return context.Response.WriteAsync(jwks);
        });
        await jwksServer.StartAsync();
        var jwksUrl = jwksServer.Urls.First() + "/jwks.json";
        using var first = new TestEhr(TestServerHost.Now, keyId: "key-2025");
        using var rotated = new TestEhr(TestServerHost.Now, keyId: "key-2026");
        jwks = first.Jwks;
        await using var host = await TestServerHost.StartAsync(TestPaths.Rules, args:
        [
            .. first.Arguments(),
            "--SafetyCheck:CdsHooks:Issuers:0:Jwks=",
            $"--SafetyCheck:CdsHooks:Issuers:0:JwksUrl={jwksUrl}",
        ]);
        using var http = host.CreateHttpClient(token: null);

        using var withJku = await http.SendAsync(first.Request(HttpMethod.Get, "/cds-services", token: first.Token("/cds-services", (h, _) => h["jku"] = jwksUrl)));
        jwks = rotated.Jwks;
        await host.SettledAsync();
        host.Clock.Advance(TimeSpan.FromSeconds(31));
        rotated.Now = host.Clock.GetUtcNow();
        using var afterRotation = await http.SendAsync(rotated.Request(HttpMethod.Get, "/cds-services"));
        using var unknownKid = await http.SendAsync(rotated.Request(HttpMethod.Get, "/cds-services", token: rotated.Token("/cds-services", (h, _) => h["kid"] = "never-published")));

        Assert.Equal(HttpStatusCode.OK, withJku.StatusCode);
        Assert.Equal(HttpStatusCode.OK, afterRotation.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, unknownKid.StatusCode);
        Assert.Equal(2, fetches);
    }
}
