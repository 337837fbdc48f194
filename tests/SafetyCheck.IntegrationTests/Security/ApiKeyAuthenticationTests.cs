using System.Net;
using Google.Protobuf;
using Google.Rpc;
using Grpc.Core;
using Grpc.Health.V1;
using Grpc.Reflection.V1Alpha;
using Microsoft.AspNetCore.Builder;
using SafetyCheck.IntegrationTests.Infrastructure;
using SafetyCheck.Protos.V1;
using SafetyCheckApi = SafetyCheck.Protos.V1.SafetyCheck;

namespace SafetyCheck.IntegrationTests.Security;

/// <summary>API keys through the real pipeline: missing or bad credentials, the wrong role, the right one, and the open services.</summary>
public sealed class ApiKeyAuthenticationTests
{
    public static TheoryData<string, string?> MissingOrBadCredentials => new()
    {
        { "no authorization header", null },
        { "a key nobody configured", "not-a-configured-key-0000000000000000" },
        { "a configured key with a character changed", TestCredentials.ClinicalAppKey[..^1] + "x" },
        { "an empty bearer token", "" },
    };

    [Theory]
    [MemberData(nameof(MissingOrBadCredentials))]
    public async Task Check_MissingOrBadApiKey_Unauthenticated(string what, string? token)
    {
        await using var host = await TestServerHost.StartAsync(TestPaths.Rules);
        var client = new SafetyCheckApi.SafetyCheckClient(host.CreateChannel(token));

        var check = await Assert.ThrowsAsync<RpcException>(() => client.CheckAsync(SampleRequests.Infant()).ResponseAsync);
        var ruleset = await Assert.ThrowsAsync<RpcException>(() => client.GetRulesetAsync(new GetRulesetRequest()).ResponseAsync);

        Assert.True(check.StatusCode == StatusCode.Unauthenticated, $"{what}: {check.Status}");
        Assert.Equal(StatusCode.Unauthenticated, ruleset.StatusCode);
    }

    [Fact]
    public async Task UnknownApiKeys_AreLoggedAtMostOncePerIntervalWithTheirNumber()
    {
        await using var host = await TestServerHost.StartAsync(TestPaths.Rules);
        var client = new SafetyCheckApi.SafetyCheckClient(host.CreateChannel("not-a-configured-key-0000000000000000"));

        for (var i = 0; i < 20; i++)
        {
            await Assert.ThrowsAsync<RpcException>(() => client.GetRulesetAsync(new GetRulesetRequest()).ResponseAsync);
        }

        var first = Assert.Single(host.Logs.Entries, e => e.EventId.Id == 304);
        Assert.StartsWith("Refused 1 call whose", first.Message, StringComparison.Ordinal);
        Assert.Contains("/safetycheck.v1.SafetyCheck/GetRuleset", first.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(host.Logs.Entries, e => e.Category.EndsWith(".ApiKeyAuthenticationHandler", StringComparison.Ordinal));

        // The other 19 are reported together when the interval is over.
        host.Clock.Advance(TimeSpan.FromSeconds(11));

        Assert.Contains(host.Logs.Entries, e => e.EventId.Id == 304 && e.Message.StartsWith("Refused 19 calls", StringComparison.Ordinal));
        Assert.DoesNotContain(host.Logs.Entries, e => e.Message.Contains("not-a-configured-key", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Check_BasicAuthorizationHeader_UnauthenticatedAsInvalidCredentialsNamingBearer()
    {
        await using var host = await TestServerHost.StartAsync(TestPaths.Rules);
        var client = new SafetyCheckApi.SafetyCheckClient(host.CreateChannel(token: null));
        var headers = new Metadata { { "authorization", "Basic " + Convert.ToBase64String("user:pass"u8.ToArray()) } };

        var error = await Assert.ThrowsAsync<RpcException>(() => client.CheckAsync(SampleRequests.Infant(), headers).ResponseAsync);

        Assert.Equal(StatusCode.Unauthenticated, error.StatusCode);
        Assert.Equal("CREDENTIALS_INVALID", error.GetRpcStatus()?.GetDetail<ErrorInfo>()?.Reason);
        Assert.Contains("Bearer", error.Status.Detail, StringComparison.Ordinal);
        Assert.Contains("Basic", error.Status.Detail, StringComparison.Ordinal);
        Assert.DoesNotContain(Convert.ToBase64String("user:pass"u8.ToArray()), error.Status.Detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(TestCredentials.AuditorKey)]
    [InlineData(TestCredentials.RulesAdminKey)]
    public async Task Check_KeyWithoutClinicalAppRole_PermissionDeniedButMayReadTheRuleset(string key)
    {
        await using var host = await TestServerHost.StartAsync(TestPaths.Rules);
        var client = new SafetyCheckApi.SafetyCheckClient(host.CreateChannel(key));

        var check = await Assert.ThrowsAsync<RpcException>(() => client.CheckAsync(SampleRequests.Infant()).ResponseAsync);
        var ruleset = await client.GetRulesetAsync(new GetRulesetRequest());

        // A deployment pipeline checks the revision served after a reload, an auditor compares it with the trail:
        // neither may make a decision.
        Assert.Equal(StatusCode.PermissionDenied, check.StatusCode);
        Assert.Equal(host.Provider.Current!.RuleSet.Identity.Revision, ruleset.Ref.Revision);
    }

    [Fact]
    public async Task UnknownMethodOfSafetyCheck_RulesAdminKey_JudgedAsTheService()
    {
        await using var host = await TestServerHost.StartAsync(TestPaths.Rules);
        var invoker = host.CreateChannel(TestCredentials.RulesAdminKey).CreateCallInvoker();
        var unknown = new Method<GetRulesetRequest, Ruleset>(MethodType.Unary, "safetycheck.v1.SafetyCheck", "GetRulesetV2",
            Marshallers.Create(r => r.ToByteArray(), GetRulesetRequest.Parser.ParseFrom), Marshallers.Create(r => r.ToByteArray(), Ruleset.Parser.ParseFrom));

        var error = await Assert.ThrowsAsync<RpcException>(() => invoker.AsyncUnaryCall(unknown, null, new CallOptions(), new GetRulesetRequest()).ResponseAsync);

        Assert.Equal(StatusCode.PermissionDenied, error.StatusCode);
    }

    [Fact]
    public async Task Check_ClinicalAppKey_DecidesAsTheKeysName()
    {
        CallerCapture? capture = null;
        await using var host = await TestServerHost.StartAsync(TestPaths.Rules, configure: b => capture = CallerCapture.AddTo(b.Services));

        var client = new SafetyCheckApi.SafetyCheckClient(host.CreateChannel(TestCredentials.ClinicalAppKey));
        var response = await client.CheckAsync(SampleRequests.Infant());
        await client.GetRulesetAsync(new GetRulesetRequest());

        Assert.NotEqual(Suitability.Unspecified, response.Suitability);
        Assert.Equal(2, capture!.Callers.Count);
        Assert.All(capture.Callers, c =>
        {
            Assert.Equal("test-clinical-app", c.Name);
            Assert.Equal(["clinical-app"], c.Roles);
        });
    }

    [Fact]
    public async Task HttpStatus_RefusedCalls_AreGrpcStatusesNotBareHttpErrors()
    {
        // A bare HTTP 401/403 reaches a gRPC client as a status with no message; a trailers-only answer carries one.
        await using var host = await TestServerHost.StartAsync(TestPaths.Rules);

        Assert.Equal(HttpStatusCode.OK, await PostCheckAsync(host, token: null));
        Assert.Equal(HttpStatusCode.OK, await PostCheckAsync(host, TestCredentials.AuditorKey));
        Assert.Equal(HttpStatusCode.OK, await PostCheckAsync(host, TestCredentials.ClinicalAppKey));
    }

    [Fact]
    public async Task HealthAndReflection_WithoutCredentials_AreOpen()
    {
        await using var host = await TestServerHost.StartAsync(TestPaths.Rules);
        var anonymous = host.CreateChannel(token: null);

        var health = await new Health.HealthClient(anonymous).CheckAsync(new HealthCheckRequest { Service = "safetycheck.v1.SafetyCheck" });
        using var reflection = new ServerReflection.ServerReflectionClient(anonymous).ServerReflectionInfo();
        await reflection.RequestStream.WriteAsync(new ServerReflectionRequest { ListServices = "" });
        await reflection.RequestStream.CompleteAsync();

        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, health.Status);
        Assert.True(await reflection.ResponseStream.MoveNext(CancellationToken.None));
        Assert.Contains("safetycheck.v1.SafetyCheck", reflection.ResponseStream.Current.ListServicesResponse.Service.Select(s => s.Name));
    }

    [Theory]
    [InlineData(TestCredentials.AuditorKey, StatusCode.OK)]
    [InlineData(TestCredentials.ClinicalAppKey, StatusCode.PermissionDenied)]
    [InlineData(TestCredentials.RulesAdminKey, StatusCode.PermissionDenied)]
    [InlineData(null, StatusCode.Unauthenticated)]
    public async Task AuditService_IsOpenedByTheAuditorRoleOnly(string? key, StatusCode expected)
    {
        await using var host = await TestServerHost.StartAsync(TestPaths.Rules, map: app => app.MapGrpcService<AccessProbeServices.Audit>());

        var status = await AccessProbeServices.CallAsync(host.CreateChannel(key).CreateCallInvoker(), AccessProbeServices.AuditService);

        Assert.Equal(expected, status);
    }

    [Theory]
    [InlineData(TestCredentials.AuditorKey, StatusCode.PermissionDenied)]
    [InlineData(TestCredentials.ClinicalAppKey, StatusCode.PermissionDenied)]
    [InlineData(TestCredentials.RulesAdminKey, StatusCode.PermissionDenied)]
    [InlineData(null, StatusCode.Unauthenticated)]
    public async Task ServiceWithoutAccessRule_IsRefusedToEveryone(string? key, StatusCode expected)
    {
        await using var host = await TestServerHost.StartAsync(TestPaths.Rules, map: app => app.MapGrpcService<AccessProbeServices.Unlisted>());

        var status = await AccessProbeServices.CallAsync(host.CreateChannel(key).CreateCallInvoker(), AccessProbeServices.UnlistedService);

        Assert.Equal(expected, status);
    }

    [Fact]
    public async Task NoCredentialsConfiguredAndNoDevelopmentKey_EveryProtectedCallIsUnauthenticated()
    {
        await using var host = await TestServerHost.StartAsync(TestPaths.Rules, withTestKeys: false);

        var error = await Assert.ThrowsAsync<RpcException>(() => host.Client.CheckAsync(SampleRequests.Infant()).ResponseAsync);
        var health = await host.Health.CheckAsync(new HealthCheckRequest());

        Assert.Equal(StatusCode.Unauthenticated, error.StatusCode);
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, health.Status);
    }

    [Fact]
    public async Task Logs_NeverContainTheKeyOrItsHash()
    {
        await using var host = await TestServerHost.StartAsync(TestPaths.Rules);
        await host.Client.CheckAsync(SampleRequests.Infant());
        await Assert.ThrowsAsync<RpcException>(() => new SafetyCheckApi.SafetyCheckClient(host.CreateChannel("wrong-key-1234567890abcdef")).CheckAsync(SampleRequests.Infant()).ResponseAsync);

        var text = string.Join("\n", host.Logs.Entries.Select(e => e.ToString()));
        foreach (var secret in new[] { TestCredentials.AllRolesKey, TestCredentials.Sha256(TestCredentials.AllRolesKey), "wrong-key-1234567890abcdef" })
        {
            Assert.DoesNotContain(secret, text, StringComparison.OrdinalIgnoreCase);
        }
    }

    private static async Task<HttpStatusCode> PostCheckAsync(TestServerHost host, string? token)
    {
        using var client = host.CreateHttpClient(token);
        var body = SampleRequests.Frame(SampleRequests.Infant());
        using var request = new HttpRequestMessage(HttpMethod.Post, "/safetycheck.v1.SafetyCheck/Check")
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Content = new ByteArrayContent(body),
        };
        request.Content.Headers.ContentType = new("application/grpc");
        request.Headers.TE.ParseAdd("trailers");
        using var response = await client.SendAsync(request);
        return response.StatusCode;
    }
}
