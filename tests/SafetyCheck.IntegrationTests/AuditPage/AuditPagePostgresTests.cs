using System.Net;
using System.Security.Cryptography;
using Google.Rpc;
using Grpc.Core;
using SafetyCheck.Audit.PostgreSql.Tests.Support;
using SafetyCheck.IntegrationTests.Audit;
using SafetyCheck.IntegrationTests.Infrastructure;
using SafetyCheck.Protos.V1;
using AuditApi = SafetyCheck.Protos.V1.Audit;
using SafetyCheckApi = SafetyCheck.Protos.V1.SafetyCheck;

namespace SafetyCheck.IntegrationTests.AuditPage;

/// <summary>
/// The auditor's page over a PostgreSQL store on a real server, with two instances writing chains of their own: the
/// page lists both chains' decisions, filters, shows and replays a decision of the other instance, verifies every
/// chain, and counts revisions and verdicts from the database.
/// </summary>
public sealed class AuditPagePostgresTests
{
    private static readonly string PseudonymKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    [PostgresFact]
    public async Task Page_OnAPostgresStoreWithTwoChains_ListsFiltersShowsReplaysAndVerifiesEveryChain()
    {
        await using var db = await TestPostgres.CreateAsync();
        var port = KestrelTestHost.FreeLoopbackPort();
        await using var withPage = await KestrelTestHost.StartAsync([
            $"--SafetyCheck:AuditPage:Urls=http://127.0.0.1:{port}", .. TestCredentials.ApiKeyArguments, .. Settings(db.Service, "node-p")]);
        await using var other = await KestrelTestHost.StartAsync([.. TestCredentials.ApiKeyArguments, .. Settings(db.Service, "node-q")]);
        using var pChannel = withPage.CreateChannel(TestCredentials.ClinicalAppKey);
        using var qChannel = other.CreateChannel(TestCredentials.ClinicalAppKey);
        var infant = await new SafetyCheckApi.SafetyCheckClient(pChannel).CheckAsync(AuditRequests.Infant("p-1"));
        var fever = await new SafetyCheckApi.SafetyCheckClient(qChannel).CheckAsync(AuditRequests.Fever("q-1"));
        await new SafetyCheckApi.SafetyCheckClient(qChannel).CheckAsync(AuditRequests.Eczema("q-2"));

        using var client = new PageClient(new SocketsHttpHandler { AllowAutoRedirect = false }, new Uri($"http://127.0.0.1:{port}/"));
        Assert.Equal(HttpStatusCode.SeeOther, (await client.SignInAsync(TestCredentials.AuditorKey)).StatusCode);
        var (_, all) = await client.GetAsync("/audit/decisions");
        var (_, notSuitable) = await client.GetAsync("/audit/decisions?verdict=NOT_SUITABLE");
        var (_, byRule) = await client.GetAsync("/audit/decisions?rule=fever&caller=test-clinical-app");
        var (shown, decision) = await client.GetAsync("/audit/decisions/" + fever.DecisionId);
        var (_, replay) = await client.PostAsync($"/audit/decisions/{fever.DecisionId}/replay");

        Assert.Contains("3 decisions on this page, newest first.", all, StringComparison.Ordinal);
        Assert.Contains("<td class=\"num\">node-p 1</td>", all, StringComparison.Ordinal);
        Assert.Contains("<td class=\"num\">node-q 2</td>", all, StringComparison.Ordinal);
        Assert.Contains("1 decisions on this page", notSuitable, StringComparison.Ordinal);
        Assert.Contains(fever.DecisionId, notSuitable, StringComparison.Ordinal);
        Assert.DoesNotContain(infant.DecisionId, notSuitable, StringComparison.Ordinal);
        Assert.Contains(fever.DecisionId, byRule, StringComparison.Ordinal);
        Assert.Contains("1 decisions on this page", byRule, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, shown.StatusCode);
        Assert.Contains("id=\"precaution-fever\"", decision, StringComparison.Ordinal);
        Assert.Contains("node-q", decision, StringComparison.Ordinal);
        Assert.Contains("<strong>Match</strong>", replay, StringComparison.Ordinal);

        await client.GetAsync("/audit/trail");
        var (started, _) = await client.PostAsync("/audit/trail/verify");
        var verified = await AuditPageWaits.FinishedVerificationAsync(client, started.Headers.Location!.OriginalString);
        Assert.Contains("<strong>Verified</strong>: 3 records", verified, StringComparison.Ordinal);
        Assert.Contains("node-p", verified, StringComparison.Ordinal);
        Assert.Contains("node-q", verified, StringComparison.Ordinal);

        var (_, revisions) = await client.GetAsync("/audit/revisions");
        var (_, pictures) = await client.GetAsync("/audit/pictures");
        Assert.Contains($"<a href=\"/audit/decisions?revision={fever.Ruleset.Revision}\">3<span class=\"visually-hidden\"> decisions on {fever.Ruleset.Version}</span></a>", revisions, StringComparison.Ordinal);
        Assert.Contains("<svg id=\"verdicts-chart\"", pictures, StringComparison.Ordinal);
        Assert.Contains("3 decisions from", pictures, StringComparison.Ordinal);
    }

    [PostgresFact]
    public async Task TextFiltersWithNul_OnAPostgresStore_RefusedNamingTheField_NeverAsTheStoreBeingDown()
    {
        await using var db = await TestPostgres.CreateAsync();
        var port = KestrelTestHost.FreeLoopbackPort();
        await using var host = await KestrelTestHost.StartAsync([
            $"--SafetyCheck:AuditPage:Urls=http://127.0.0.1:{port}", .. TestCredentials.ApiKeyArguments, .. Settings(db.Service, "node-p")]);
        using var clinical = host.CreateChannel(TestCredentials.ClinicalAppKey);
        using var auditor = host.CreateChannel(TestCredentials.AuditorKey);
        await new SafetyCheckApi.SafetyCheckClient(clinical).CheckAsync(AuditRequests.Fever("p-1"));
        var audit = new AuditApi.AuditClient(auditor);

        using var client = new PageClient(new SocketsHttpHandler { AllowAutoRedirect = false }, new Uri($"http://127.0.0.1:{port}/"));
        Assert.Equal(HttpStatusCode.SeeOther, (await client.SignInAsync(TestCredentials.AuditorKey)).StatusCode);
        foreach (var (query, field) in new[] { ("rule=fe%00ver", "rule"), ("caller=a%00b", "caller") })
        {
            var (response, html) = await client.GetAsync("/audit/decisions?" + query);
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Contains($"id=\"{field}-problem\">must not contain control characters", html, StringComparison.Ordinal);
        }

        var (tokenResponse, tokenHtml) = await client.GetAsync("/audit/decisions?page=n%3A2026-03-02T10%3A00%3A00.0000000Z%7Cno%00de%7C1");
        Assert.Equal(HttpStatusCode.BadRequest, tokenResponse.StatusCode);
        Assert.Contains("that page link is not one this list made", tokenHtml, StringComparison.Ordinal);

        var rule = await Assert.ThrowsAsync<RpcException>(() => audit.ListDecisionsAsync(new ListDecisionsRequest { RuleId = "fe\0ver" }).ResponseAsync);
        var token = await Assert.ThrowsAsync<RpcException>(() => audit.ListDecisionsAsync(new ListDecisionsRequest { PageToken = "c:no\0dea:1" }).ResponseAsync);
        Assert.Equal((StatusCode.InvalidArgument, "rule_id"), (rule.StatusCode, ViolatedField(rule)));
        Assert.Equal((StatusCode.InvalidArgument, "page_token"), (token.StatusCode, ViolatedField(token)));
        Assert.Single((await audit.ListDecisionsAsync(new ListDecisionsRequest { RuleId = "fever" })).Decisions);
    }

    private static string ViolatedField(RpcException error) =>
        Assert.Single(Assert.Single(error.GetRpcStatus()!.Details.Select(d => d.TryUnpack<BadRequest>(out var b) ? b : null).OfType<BadRequest>()).FieldViolations).Field;

    private static string[] Settings(string connectionString, string instance) =>
    [
        "--SafetyCheck:Audit:Provider=PostgreSql",
        $"--SafetyCheck:Audit:ConnectionString={connectionString}",
        $"--SafetyCheck:Audit:InstanceId={instance}",
        $"--SafetyCheck:Audit:PseudonymKey={PseudonymKey}",
    ];
}
