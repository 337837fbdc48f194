using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using SafetyCheck.Audit.Export;
using SafetyCheck.Audit.Feedback;
using SafetyCheck.Audit.Sqlite;
using SafetyCheck.Audit.Storage;
using SafetyCheck.Audit.Verification;
using SafetyCheck.IntegrationTests.Audit;

namespace SafetyCheck.IntegrationTests.CdsHooks;

/// <summary>Feedback on cards is recorded in the audit chain, linked to its decision; the chain still verifies and exports.</summary>
public sealed class CdsHooksFeedbackTests
{
    [Fact]
    public async Task Feedback_OverriddenWithReasonAndAccepted_RecordedLinkedToTheDecision()
    {
        await using var cds = await CdsHooksTestHost.StartAsync();
        var (_, answer) = await cds.CallAsync("massage-safety-appointment", CdsHooksCalls.Toddler());
        var cards = answer["cards"]!.AsArray().Select(c => (string)c!["uuid"]!).ToArray();
        var feedback = JsonNode.Parse($$"""
            {
              "feedback": [
                {
                  "card": "{{cards[1]}}",
                  "outcome": "overridden",
                  "overrideReason": {
                    "reason": { "system": "urn:safetycheck:cds-override-reason", "code": "clinician-cleared", "display": "The child's clinician has reviewed this and cleared the session" },
                    "userComment": "Discussed with the family on the ward."
                  },
                  "outcomeTimestamp": "2025-06-01T09:31:12Z"
                },
                { "card": "{{cards[0]}}", "outcome": "accepted", "acceptedSuggestions": [ { "id": "no-such-suggestion" } ], "outcomeTimestamp": "2025-06-01T09:31:40Z" }
              ]
            }
            """)!;

        var (status, body) = await cds.SendAsync(HttpMethod.Post, "/cds-services/massage-safety-appointment/feedback", feedback);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(2, (int)body["recorded"]!);
        var page = await cds.Audit.ListAsync(new EntryFilter { Kind = EntryKinds.CardFeedback });
        var entries = page.Items.Select(e => CardFeedbackEntry.Read(JsonNode.Parse(e.RecordJson)!.AsObject()).Feedback).ToArray();
        Assert.Equal([cards[1], cards[0]], entries.Select(e => e.Card));
        Assert.All(entries, e => Assert.Equal(cards[0], e.DecisionId));
        Assert.All(entries, e => Assert.Equal(TestEhr.Issuer, e.Caller));
        Assert.Equal("clinician-cleared", entries[0].OverrideReason!.Code);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes("Discussed with the family on the ward."))), entries[0].UserCommentSha256);
        Assert.DoesNotContain(page.Items, e => e.RecordJson.Contains("Discussed", StringComparison.Ordinal));
        Assert.Equal(["no-such-suggestion"], entries[1].AcceptedSuggestions);

        var report = await AuditVerifier.VerifyAsync(cds.Audit);
        Assert.True(report.IsValid, report.Message);
        Assert.DoesNotContain("do not read", report.Message, StringComparison.Ordinal);
        using var export = new StringWriter();
        Assert.Equal(3, await AuditExporter.ExportAsync(cds.Audit, export, AuditExportFormat.JsonLines));
        using var reread = new StringReader(export.ToString());
        Assert.True((await AuditVerifier.VerifyAsync(AuditExporter.ReadJsonLinesAsync(reread))).IsValid);
    }

    [Fact]
    public async Task Feedback_CardThisTrailNeverIssued_RecordedWithoutADecision()
    {
        await using var cds = await CdsHooksTestHost.StartAsync();
        var feedback = JsonNode.Parse("""{"feedback":[{"card":"not-a-uuid","outcome":"overridden","outcomeTimestamp":"2025-06-01T09:31:12Z"}]}""");

        var (status, _) = await cds.SendAsync(HttpMethod.Post, "/cds-services/massage-safety-order/feedback", feedback);

        Assert.Equal(HttpStatusCode.OK, status);
        var entry = Assert.Single((await cds.Audit.ListAsync(new EntryFilter { Kind = EntryKinds.CardFeedback })).Items);
        var recorded = CardFeedbackEntry.Read(JsonNode.Parse(entry.RecordJson)!.AsObject()).Feedback;
        Assert.Null(recorded.DecisionId);
        Assert.Equal("massage-safety-order", recorded.Service);
    }

    [Theory]
    [InlineData("""{"feedback":[{"outcome":"overridden","outcomeTimestamp":"2025-06-01T09:31:12Z"}]}""", "feedback[0].card")]
    [InlineData("""{"feedback":[{"card":"c","outcome":"ignored","outcomeTimestamp":"2025-06-01T09:31:12Z"}]}""", "feedback[0].outcome")]
    [InlineData("""{"feedback":[{"card":"c","outcome":"accepted","outcomeTimestamp":"yesterday"}]}""", "feedback[0].outcomeTimestamp")]
    [InlineData("""{"feedback":[{"card":"c","outcome":"accepted","outcomeTimestamp":"Mon, 02 Mar 2026 10:05:31 GMT"}]}""", "feedback[0].outcomeTimestamp")]
    [InlineData("""{"feedback":[{"card":"c","outcome":"accepted","outcomeTimestamp":"2026-03-02T10:05:31 Z"}]}""", "feedback[0].outcomeTimestamp")]
    [InlineData("""{"feedback":[{"card":"c","outcome":"accepted","outcomeTimestamp":"2026-03-02T10:05:31"}]}""", "feedback[0].outcomeTimestamp")]
    [InlineData("""{"feedback":[{"card":"c","outcome":"overridden","overrideReason":{"reason":{"system":"s"}},"outcomeTimestamp":"2025-06-01T09:31:12Z"}]}""", "feedback[0].overrideReason.reason.code")]
    [InlineData("""{"feedback":[]}""", "feedback")]
    public async Task Feedback_Malformed_400NamingTheFieldAndNothingRecorded(string json, string field)
    {
        await using var cds = await CdsHooksTestHost.StartAsync();

        var (status, body) = await cds.SendAsync(HttpMethod.Post, "/cds-services/massage-safety-order/feedback", JsonNode.Parse(json));

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains(body["violations"]!.AsArray(), v => (string?)v!["field"] == field);
        Assert.Equal(0, (await cds.Audit.HeadAsync()).Size);
    }

    [Fact]
    public async Task Feedback_TokenForTheService_Accepted_TokenForAnotherService_Refused()
    {
        await using var cds = await CdsHooksTestHost.StartAsync();
        var feedback = JsonNode.Parse("""{"feedback":[{"card":"c","outcome":"overridden","outcomeTimestamp":"2025-06-01T09:31:12Z"}]}""");
        var path = "/cds-services/massage-safety-order/feedback";

        var (serviceAudience, _) = await cds.SendAsync(HttpMethod.Post, path, feedback, cds.Ehr.Token("/cds-services/massage-safety-order"));
        var (otherAudience, _) = await cds.SendAsync(HttpMethod.Post, path, feedback, cds.Ehr.Token("/cds-services/massage-safety-appointment/feedback"));

        Assert.Equal(HttpStatusCode.OK, serviceAudience);
        Assert.Equal(HttpStatusCode.Unauthorized, otherAudience);
    }

    [Fact]
    public async Task HookCallAndFeedback_AuditStoreFails_503AndNoVerdict()
    {
        using var folder = new TempAuditFolder();
        var store = new FailingAuditStorage(SqliteAuditStorage.Open(folder.DatabasePath));
        await using var cds = await CdsHooksTestHost.StartAsync(configureServices: s => s.AddSingleton<IAuditStorage>(store));
        cds.Host.Logs.Expect("SafetyCheck.Audit", "could not be recorded");
        cds.Host.Logs.Expect("SafetyCheck", "could not be");
        store.FailWrites = true;

        var (status, body) = await cds.CallAsync("massage-safety-appointment", CdsHooksCalls.Toddler());
        var (feedbackStatus, _) = await cds.SendAsync(HttpMethod.Post, "/cds-services/massage-safety-order/feedback",
            JsonNode.Parse("""{"feedback":[{"card":"c","outcome":"overridden","outcomeTimestamp":"2025-06-01T09:31:12Z"}]}"""));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
        var card = Assert.Single(body["cards"]!.AsArray())!;
        Assert.Contains("AUDIT_UNAVAILABLE", (string?)card["detail"], StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, feedbackStatus);
    }
}
