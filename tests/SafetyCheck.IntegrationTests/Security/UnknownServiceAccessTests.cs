using Grpc.Core;
using SafetyCheck.IntegrationTests.Infrastructure;
using SafetyCheck.Security;

namespace SafetyCheck.IntegrationTests.Security;

/// <summary>
/// Paths no method serves are judged like every other call: by the service they name. Without credentials only
/// health and reflection answer anything but UNAUTHENTICATED; with them, the access table decides, then routing.
/// </summary>
public sealed class UnknownServiceAccessTests
{
    [Theory]
    [InlineData(null, "example.v1.Nothing", StatusCode.Unauthenticated)]
    [InlineData(null, "safetycheck.v1.SafetyCheck", StatusCode.Unauthenticated)]
    [InlineData(null, "safetycheck.v1.Audit", StatusCode.Unauthenticated)]
    [InlineData(null, "grpc.health.v1.Health", StatusCode.Unimplemented)]
    [InlineData(TestCredentials.ClinicalAppKey, "safetycheck.v1.SafetyCheck", StatusCode.Unimplemented)]
    [InlineData(TestCredentials.ClinicalAppKey, "safetycheck.v1.Audit", StatusCode.PermissionDenied)]
    [InlineData(TestCredentials.AuditorKey, "safetycheck.v1.Audit", StatusCode.Unimplemented)]
    [InlineData(TestCredentials.AllRolesKey, "example.v1.Nothing", StatusCode.PermissionDenied)]
    public async Task UnknownMethod_JudgedByItsService(string? key, string service, StatusCode expected)
    {
        await using var host = await TestServerHost.StartAsync(TestPaths.Rules);

        var status = await AccessProbeServices.CallAsync(host.CreateChannel(key).CreateCallInvoker(), service);

        Assert.Equal(expected, status);
        host.Logs.AssertNoUnexpectedErrors();
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/not-grpc")]
    [InlineData("/a/b/c")]
    public async Task NonGrpcPath_WithoutCredentials_Unauthenticated(string path)
    {
        await using var host = await TestServerHost.StartAsync(TestPaths.Rules);
        using var http = host.CreateHttpClient(token: null);

        var response = await RawGrpcRequest.SendAsync(http, path, [0, 0, 0, 0, 0]);

        Assert.Equal(StatusCode.Unauthenticated, response.AsClientSeesIt);
    }

    [Theory]
    [InlineData("/safetycheck.v1.SafetyCheck/Check", "safetycheck.v1.SafetyCheck")]
    [InlineData("/example.v1.Nothing/Anything", "example.v1.Nothing")]
    [InlineData("/", "")]
    [InlineData("/one-part", "")]
    [InlineData("/a/b/c", "")]
    [InlineData("//method", "")]
    [InlineData(null, "")]
    public void ServiceOf_ReadsTheServiceOfAGrpcPath(string? path, string expected) =>
        Assert.Equal(expected, GrpcServiceAccessHandler.ServiceOf(path));
}
