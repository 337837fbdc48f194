using System.Net;
using System.Net.Http.Headers;
using Google.Protobuf;
using Google.Rpc;
using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;
using SafetyCheck.Audit.Sqlite;
using SafetyCheck.Audit.Storage;
using SafetyCheck.IntegrationTests.Audit;
using SafetyCheck.IntegrationTests.Infrastructure;
using SafetyCheck.Protos.V1;
using SafetyCheckApi = SafetyCheck.Protos.V1.SafetyCheck;

namespace SafetyCheck.IntegrationTests.Grpc;

/// <summary>Every refusal a caller can meet carries a google.rpc.ErrorInfo it can switch on, and a message saying what to do.</summary>
public sealed class ErrorDetailsTests
{
    [Fact]
    public async Task Check_WithoutCredentials_UnauthenticatedSayingWhatToSend()
    {
        await using var host = await TestServerHost.StartAsync(TestPaths.Rules);
        var client = new SafetyCheckApi.SafetyCheckClient(host.CreateChannel(token: null));

        var error = await Assert.ThrowsAsync<RpcException>(() => client.CheckAsync(SampleRequests.Infant()).ResponseAsync);

        Assert.Equal(StatusCode.Unauthenticated, error.StatusCode);
        Assert.Contains("authorization: Bearer", error.Status.Detail, StringComparison.Ordinal);
        AssertReason(error, "CREDENTIALS_MISSING");
    }

    [Fact]
    public async Task Check_UnknownKey_UnauthenticatedAsInvalidCredentials()
    {
        await using var host = await TestServerHost.StartAsync(TestPaths.Rules);
        var client = new SafetyCheckApi.SafetyCheckClient(host.CreateChannel("not-a-key-of-this-service-000000"));

        var error = await Assert.ThrowsAsync<RpcException>(() => client.CheckAsync(SampleRequests.Infant()).ResponseAsync);

        Assert.Equal(StatusCode.Unauthenticated, error.StatusCode);
        Assert.Contains("not valid", error.Status.Detail, StringComparison.Ordinal);
        AssertReason(error, "CREDENTIALS_INVALID");
    }

    [Fact]
    public async Task Check_WithoutTheRole_PermissionDeniedNamingTheRole()
    {
        await using var host = await TestServerHost.StartAsync(TestPaths.Rules);
        var client = new SafetyCheckApi.SafetyCheckClient(host.CreateChannel(TestCredentials.AuditorKey));

        var error = await Assert.ThrowsAsync<RpcException>(() => client.CheckAsync(SampleRequests.Infant()).ResponseAsync);

        Assert.Equal(StatusCode.PermissionDenied, error.StatusCode);
        Assert.Contains("clinical-app", error.Status.Detail, StringComparison.Ordinal);
        var info = AssertReason(error, "ROLE_MISSING");
        Assert.Equal("clinical-app", info.Metadata["required_roles"]);
    }

    [Fact]
    public async Task Check_InvalidRequest_BadRequestAndErrorInfo()
    {
        await using var host = await TestServerHost.StartAsync(TestPaths.Rules);
        var request = SampleRequests.Infant();
        request.Patient.BirthDate = "not-a-date";

        var error = await Assert.ThrowsAsync<RpcException>(() => host.Client.CheckAsync(request).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        AssertReason(error, "INVALID_ARGUMENT");
        Assert.Contains(error.GetRpcStatus()!.GetDetail<BadRequest>()!.FieldViolations, v => v.Field == "patient.birth_date");
    }

    [Fact]
    public async Task Check_NoRuleSet_RulesetUnavailable()
    {
        await using var host = await TestServerHost.StartAsync(TestPaths.Rules, loadRules: false);

        var error = await Assert.ThrowsAsync<RpcException>(() => host.Client.CheckAsync(SampleRequests.Infant()).ResponseAsync);

        Assert.Equal(StatusCode.Unavailable, error.StatusCode);
        AssertReason(error, "RULESET_UNAVAILABLE");
    }

    [Fact]
    public async Task Check_AuditStoreDown_AuditUnavailable()
    {
        using var folder = new TempAuditFolder();
        var store = new FailingAuditStorage(SqliteAuditStorage.Open(folder.DatabasePath));
        await using var host = await TestServerHost.StartAsync(TestPaths.Rules, configureServices: s => s.AddSingleton<IAuditStorage>(store));
        host.Logs.Expect("SafetyCheck.Audit", "could not be recorded");
        await host.Client.CheckAsync(SampleRequests.Infant("before"));
        store.FailWrites = true;

        var error = await Assert.ThrowsAsync<RpcException>(() => host.Client.CheckAsync(SampleRequests.Infant()).ResponseAsync);

        Assert.Equal(StatusCode.Unavailable, error.StatusCode);
        AssertReason(error, "AUDIT_UNAVAILABLE");
    }

    [Fact]
    public async Task Check_OverTheRate_RateLimitedWithRetryInfo()
    {
        await using var host = await TestServerHost.StartAsync(TestPaths.Rules, args:
        [
            "--SafetyCheck:Limits:CallsPerSecondPerCaller=1",
            "--SafetyCheck:Limits:CallBurstPerCaller=1",
        ]);

        RpcException? refused = null;
        for (var i = 0; i < 10 && refused is null; i++)
        {
            try
            {
                await host.Client.CheckAsync(SampleRequests.Infant());
            }
            catch (RpcException e)
            {
                refused = e;
            }
        }

        Assert.NotNull(refused);
        Assert.Equal(StatusCode.ResourceExhausted, refused.StatusCode);
        AssertReason(refused, "RATE_LIMITED");
        var retry = refused.GetRpcStatus()!.GetDetail<RetryInfo>();
        Assert.NotNull(retry);
        Assert.InRange(retry.RetryDelay.ToTimeSpan(), TimeSpan.FromMilliseconds(1), TimeSpan.FromSeconds(2));
    }

    [Fact]
    public async Task Check_CompressedWithAnEncodingTheServiceDoesNotDecode_UnimplementedWithReason()
    {
        await using var host = await TestServerHost.StartAsync(TestPaths.Rules);
        using var http = host.CreateHttpClient();
        var message = SampleRequests.Infant().ToByteArray();
        var frame = RawGrpcRequest.Frame((uint)message.Length, message);
        frame[0] = 1; // compressed, with the encoding the header names
        using var request = new HttpRequestMessage(HttpMethod.Post, "/safetycheck.v1.SafetyCheck/Check")
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Content = new ByteArrayContent(frame),
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/grpc");
        request.Headers.TE.ParseAdd("trailers");
        request.Headers.Add("grpc-encoding", "br");

        using var response = await http.SendAsync(request);

        Assert.Equal("12", response.Headers.GetValues("grpc-status").Single());
        var details = Google.Rpc.Status.Parser.ParseFrom(Convert.FromBase64String(response.Headers.GetValues("grpc-status-details-bin").Single()));
        var info = details.Details.Select(d => d.TryUnpack<ErrorInfo>(out var i) ? i : null).First(i => i is not null)!;
        Assert.Equal("UNSUPPORTED_ENCODING", info.Reason);
        Assert.Contains("'br'", details.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetDecision_Unknown_NotFoundWithReason()
    {
        await using var host = await TestServerHost.StartAsync(TestPaths.Rules);
        var audit = new Protos.V1.Audit.AuditClient(host.Channel);

        var error = await Assert.ThrowsAsync<RpcException>(() => audit.GetDecisionAsync(new GetDecisionRequest { DecisionId = "01936a2e-7c00-7000-8000-000000000000" }).ResponseAsync);

        Assert.Equal(StatusCode.NotFound, error.StatusCode);
        AssertReason(error, "DECISION_NOT_FOUND");
    }

    private static ErrorInfo AssertReason(RpcException error, string reason)
    {
        var info = error.GetRpcStatus()?.GetDetail<ErrorInfo>();
        Assert.NotNull(info);
        Assert.Equal(reason, info.Reason);
        Assert.Equal("safetycheck.v1", info.Domain);
        return info;
    }
}
