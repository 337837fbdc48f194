using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Grpc.Core;
using SafetyCheck.IntegrationTests.Infrastructure;
using SafetyCheck.Protos.V1;
using SafetyCheckApi = SafetyCheck.Protos.V1.SafetyCheck;

namespace SafetyCheck.IntegrationTests.Security;

/// <summary>
/// The service on a real Kestrel on 127.0.0.1 over TLS, its certificate given in Kestrel configuration exactly as the
/// README shows, with API keys and with client certificates mapped by thumbprint or, under a trusted CA, by subject.
/// </summary>
public sealed class TlsTests
{
    private static readonly X509Certificate2 ServerCertificate = TestCertificates.Server();

    [Fact]
    public async Task Https_CertificateFromKestrelConfiguration_ServesCallersWithAKey()
    {
        await using var host = await KestrelTestHost.StartAsync([.. HttpsEndpoint(), .. TestCredentials.ApiKeyArguments]);

        Assert.StartsWith("https://127.0.0.1:", host.Address, StringComparison.Ordinal);
        using var keyed = host.CreateChannel(TestCredentials.ClinicalAppKey, TestCertificates.Handler(ServerCertificate));
        using var anonymous = host.CreateChannel(token: null, TestCertificates.Handler(ServerCertificate));
        var response = await new SafetyCheckApi.SafetyCheckClient(keyed).CheckAsync(SampleRequests.Infant());
        var error = await Assert.ThrowsAsync<RpcException>(() => new SafetyCheckApi.SafetyCheckClient(anonymous).CheckAsync(SampleRequests.Infant()).ResponseAsync);

        Assert.NotEqual(Suitability.Unspecified, response.Suitability);
        Assert.Equal(StatusCode.Unauthenticated, error.StatusCode);
    }

    [Fact]
    public async Task ClientCertificates_PinnedByThumbprint_CallAsTheirCommonNameWithTheirRoles()
    {
        using var scheduler = TestCertificates.Client("CN=scheduling-app, O=Example Clinic");
        using var auditor = TestCertificates.Client("CN=audit-desk");
        using var stranger = TestCertificates.Client("CN=scheduling-app, O=Example Clinic");
        CallerCapture? capture = null;
        await using var host = await KestrelTestHost.StartAsync(
        [
            .. HttpsEndpoint(),
            "--SafetyCheck:Authentication:ClientCertificates:Enabled=true",
            $"--SafetyCheck:Authentication:ClientCertificates:Mappings:0:Thumbprint={scheduler.GetCertHashString(HashAlgorithmName.SHA256)}",
            "--SafetyCheck:Authentication:ClientCertificates:Mappings:0:Roles:0=clinical-app",
            $"--SafetyCheck:Authentication:ClientCertificates:Mappings:1:Thumbprint={auditor.Thumbprint}",
            "--SafetyCheck:Authentication:ClientCertificates:Mappings:1:Roles:0=auditor",
        ], configure: b => capture = CallerCapture.AddTo(b.Services));

        var decided = await CheckAsync(host, scheduler);
        var wrongRole = await CheckAsync(host, auditor);
        var unmapped = await CheckAsync(host, stranger);
        var none = await CheckAsync(host, client: null);

        Assert.Equal(StatusCode.OK, decided);
        Assert.Equal("scheduling-app", capture!.Last.Name);
        Assert.Equal(["clinical-app"], capture.Last.Roles);
        Assert.Equal(StatusCode.PermissionDenied, wrongRole);
        Assert.Equal(StatusCode.Unauthenticated, unmapped);
        Assert.Equal(StatusCode.Unauthenticated, none);
    }

    [Fact]
    public async Task ClientCertificates_BySubject_OnlyWhenIssuedByTheTrustedAuthority()
    {
        using var authority = TestCertificates.Authority("CN=Example Clinic Issuing CA");
        using var otherAuthority = TestCertificates.Authority("CN=Example Clinic Issuing CA");
        using var issued = TestCertificates.Client("CN=scheduling-app, O=Example Clinic", authority);
        using var forgedByOtherCa = TestCertificates.Client("CN=scheduling-app, O=Example Clinic", otherAuthority);
        using var selfSigned = TestCertificates.Client("CN=scheduling-app, O=Example Clinic");
        var (caFile, _) = TestCertificates.WritePem(authority);
        await using var host = await KestrelTestHost.StartAsync(
        [
            .. HttpsEndpoint(),
            "--SafetyCheck:Authentication:ClientCertificates:Enabled=true",
            $"--SafetyCheck:Authentication:ClientCertificates:TrustedCaFile={caFile}",

            // The test authority publishes no revocation list.
            "--SafetyCheck:Authentication:ClientCertificates:RevocationMode=NoCheck",
            "--SafetyCheck:Authentication:ClientCertificates:Mappings:0:Subject=CN=scheduling-app,O=Example Clinic",
            "--SafetyCheck:Authentication:ClientCertificates:Mappings:0:Roles:0=clinical-app",
        ]);

        Assert.Equal(StatusCode.OK, await CheckAsync(host, issued));
        Assert.Equal(StatusCode.Unauthenticated, await CheckAsync(host, forgedByOtherCa));
        Assert.Equal(StatusCode.Unauthenticated, await CheckAsync(host, selfSigned));
    }

    [Fact]
    public async Task ClientCertificates_Required_ConnectionWithoutOneIsRefused()
    {
        using var scheduler = TestCertificates.Client("CN=scheduling-app");
        await using var host = await KestrelTestHost.StartAsync(
        [
            .. HttpsEndpoint(),
            .. TestCredentials.ApiKeyArguments,
            "--SafetyCheck:Authentication:ClientCertificates:Enabled=true",
            "--SafetyCheck:Authentication:ClientCertificates:Require=true",
            $"--SafetyCheck:Authentication:ClientCertificates:Mappings:0:Thumbprint={scheduler.Thumbprint}",
            "--SafetyCheck:Authentication:ClientCertificates:Mappings:0:Roles:0=clinical-app",
        ]);

        // With a certificate, the bearer key names the caller; without one, TLS itself fails.
        using var withCertificate = host.CreateChannel(TestCredentials.ClinicalAppKey, TestCertificates.Handler(ServerCertificate, scheduler));
        using var withoutCertificate = host.CreateChannel(TestCredentials.ClinicalAppKey, TestCertificates.Handler(ServerCertificate));
        await new SafetyCheckApi.SafetyCheckClient(withCertificate).CheckAsync(SampleRequests.Infant());
        var error = await Assert.ThrowsAsync<RpcException>(() => new SafetyCheckApi.SafetyCheckClient(withoutCertificate).CheckAsync(SampleRequests.Infant()).ResponseAsync);

        // Under TLS 1.3 the client learns of the refusal during the handshake or on its first read: the client
        // library reports UNAVAILABLE or INTERNAL. Either way, no call is made.
        Assert.Contains(error.StatusCode, new[] { StatusCode.Unavailable, StatusCode.Internal });
    }

    [Fact]
    public async Task SilentSocket_OnATlsEndpoint_ClosedAfterTheHandshakeTimeout()
    {
        await using var host = await KestrelTestHost.StartAsync(
        [
            .. HttpsEndpoint(),
            .. TestCredentials.ApiKeyArguments,
            "--SafetyCheck:Limits:HandshakeTimeoutSeconds=1",
            "--SafetyCheck:Limits:IdleTimeoutSeconds=600",
        ]);

        using var held = await HeldConnections.OpenAsync(host.EndPoint(), System.Net.IPAddress.Parse("127.0.0.2"), 2);
        var closed = await held.WaitForClosedAsync(2, TimeSpan.FromSeconds(10));

        Assert.Equal(2, closed);
    }

    private static string[] HttpsEndpoint()
    {
        var (certificate, key) = TestCertificates.WritePem(ServerCertificate);
        return
        [
            "--Kestrel:Endpoints:Https:Url=https://127.0.0.1:0",
            $"--Kestrel:Endpoints:Https:Certificate:Path={certificate}",
            $"--Kestrel:Endpoints:Https:Certificate:KeyPath={key}",
        ];
    }

    private static async Task<StatusCode> CheckAsync(KestrelTestHost host, X509Certificate2? client)
    {
        using var channel = host.CreateChannel(token: null, TestCertificates.Handler(ServerCertificate, client));
        try
        {
            await new SafetyCheckApi.SafetyCheckClient(channel).CheckAsync(SampleRequests.Infant());
            return StatusCode.OK;
        }
        catch (RpcException e)
        {
            return e.StatusCode;
        }
    }
}
