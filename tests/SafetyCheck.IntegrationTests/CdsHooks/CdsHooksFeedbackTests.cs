using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using SafetyCheck.Audit.Export;
using SafetyCheck.Audit.Feedback;
using SafetyCheck.Audit.Pseudonyms;
using SafetyCheck.Audit.Sqlite;
using SafetyCheck.Audit.Storage;
using SafetyCheck.Audit.Verification;
using SafetyCheck.IntegrationTests.Audit;

using static SafetyCheck.IntegrationTests.CdsHooks.SyntheticFhir;

namespace SafetyCheck.IntegrationTests.CdsHooks;

/// <summary>
/// Feedback on cards is recorded in the audit chain, linked to its decision, holding nothing the caller wrote that could
/// name a child (a card uuid, an offered reason with the service's display, the comment as a keyed digest); anything
/// else is refused naming the field, with nothing recorded. The chain still verifies and exports.
/// </summary>
public sealed class CdsHooksFeedbackTests
{
    private const string Path = "/cds-services/massage-safety-order/feedback";

    /// <summary>A uuid no decision of a test trail has.</summary>
    private const string UnknownCard = "01960000-0000-7000-8000-0000000000aa";

    private const string Comment = "Discussed with Testchild Quokka's family on the ward.";

    [Fact]
    public async Task Feedback_OverriddenWithReasonAndAccepted_RecordedLinkedToTheDecision_OnlyTheServicesOwnText()
    {
        await using var cds = await CdsHooksTestHost.StartAsync();
        var (_, answer) = await cds.CallAsync("massage-safety-appointment", CdsHooksCalls.Toddler());
        var cards = answer["cards"]!.AsArray().Select(c => (string)c!["uuid"]!).ToArray();
        var feedback = JsonNode.Parse($$"""
            {
              "feedback": [
                {
                  "card": "{{cards[1].ToUpperInvariant()}}",
                  "outcome": "overridden",
                  "overrideReason": {
                    "reason": { "system": "urn:safetycheck:cds-override-reason", "code": "clinician-cleared", "display": "Testchild Quokka MRN-ZEBRA-4711" },
                    "userComment": "{{Comment}}"
                  },
                  "outcomeTimestamp": "2025-06-01T09:31:12Z"
                },
                { "card": "{{cards[0]}}", "outcome": "accepted", "acceptedSuggestions": [], "outcomeTimestamp": "2025-06-01T09:31:40Z" }
              ]
            }
            """)!;

        var (status, body) = await cds.SendAsync(HttpMethod.Post, "/cds-services/massage-safety-appointment/feedback", feedback);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(2, (int)body["recorded"]!);
        var page = await cds.Audit.ListAsync(new EntryFilter { Kind = EntryKinds.CardFeedback });
        var entries = page.Items.Select(e => CardFeedbackEntry.Read(JsonNode.Parse(e.RecordJson)!.AsObject())).ToArray();
        Assert.All(entries, e => Assert.Equal(CardFeedbackEntry.SchemaVersion, e.Version));
        var recorded = entries.Select(e => e.Feedback).ToArray();
        Assert.Equal([cards[1], cards[0]], recorded.Select(e => e.Card));
        Assert.All(recorded, e => Assert.Equal(cards[0], e.DecisionId));
        Assert.All(recorded, e => Assert.Equal(TestEhr.Issuer, e.Caller));
        Assert.Equal(
            new OverrideReasonCode("urn:safetycheck:cds-override-reason", "clinician-cleared", "The child's clinician has reviewed this and cleared the session"),
            recorded[0].OverrideReason);
        var pseudonymiser = cds.Host.Services.GetRequiredService<Pseudonymiser>();
        Assert.Equal(pseudonymiser.Digest(Pseudonymiser.UserCommentPurpose, Comment), recorded[0].UserCommentDigest);
        Assert.Equal(pseudonymiser.KeyId, recorded[0].UserCommentDigest!.KeyId);
        Assert.Null(recorded[0].UserCommentSha256);
        Assert.Null(recorded[1].UserCommentDigest);
        Assert.All(recorded, e => Assert.Empty(e.AcceptedSuggestions));
        var sha256 = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Comment)));
        Assert.All(page.Items, e =>
        {
            Assert.DoesNotContain("Quokka", e.RecordJson, StringComparison.Ordinal);
            Assert.DoesNotContain("MRN", e.RecordJson, StringComparison.Ordinal);
            Assert.DoesNotContain(sha256, e.RecordJson, StringComparison.Ordinal);
            Assert.DoesNotContain("user_comment_sha256", e.RecordJson, StringComparison.Ordinal);
            Assert.DoesNotContain("accepted_suggestions", e.RecordJson, StringComparison.Ordinal);
        });

        var report = await AuditVerifier.VerifyAsync(cds.Audit);
        Assert.True(report.IsValid, report.Message);
        Assert.DoesNotContain("do not read", report.Message, StringComparison.Ordinal);
        using var export = new StringWriter();
        Assert.Equal(3, await AuditExporter.ExportAsync(cds.Audit, export, AuditExportFormat.JsonLines));
        using var reread = new StringReader(export.ToString());
        Assert.True((await AuditVerifier.VerifyAsync(AuditExporter.ReadJsonLinesAsync(reread))).IsValid);
    }

    [Fact]
    public async Task Feedback_Comment_KeptAsAKeyedDigest_SameUnderOneKey_OtherUnderAnother()
    {
        var otherKey = Convert.ToBase64String(Enumerable.Range(100, 32).Select(i => (byte)i).ToArray());
        await using var cds = await CdsHooksTestHost.StartAsync();
        await using var other = await CdsHooksTestHost.StartAsync(args: [$"--SafetyCheck:Audit:PseudonymKey={otherKey}"]);
        var feedback = Feedback(await IssuedCardAsync(cds));
        var otherFeedback = Feedback(await IssuedCardAsync(other));

        Assert.Equal(HttpStatusCode.OK, (await cds.SendAsync(HttpMethod.Post, Path, feedback)).Status);
        Assert.Equal(HttpStatusCode.OK, (await cds.SendAsync(HttpMethod.Post, Path, feedback)).Status);
        Assert.Equal(HttpStatusCode.OK, (await other.SendAsync(HttpMethod.Post, Path, otherFeedback)).Status);

        var digests = await DigestsAsync(cds);
        var otherDigest = Assert.Single(await DigestsAsync(other));
        Assert.Equal(2, digests.Length);
        Assert.Equal(digests[0], digests[1]);
        Assert.NotEqual(digests[0].Hmac, otherDigest.Hmac);
        Assert.NotEqual(digests[0].KeyId, otherDigest.KeyId);
        Assert.Equal(other.Host.Services.GetRequiredService<Pseudonymiser>().Digest(Pseudonymiser.UserCommentPurpose, Comment), otherDigest);
        Assert.NotEqual(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Comment))), digests[0].Hmac);
        Assert.Matches("^[0-9a-f]{64}$", digests[0].Hmac);

        static JsonNode Feedback(string card) =>
            JsonNode.Parse($$"""{"feedback":[{"card":"{{card}}","outcome":"overridden","overrideReason":{"userComment":"{{Comment}}"},"outcomeTimestamp":"2025-06-01T09:31:12Z"}]}""")!;

        static async Task<KeyedDigest[]> DigestsAsync(CdsHooksTestHost host) =>
            [.. (await host.Audit.ListAsync(new EntryFilter { Kind = EntryKinds.CardFeedback })).Items
                .Select(e => CardFeedbackEntry.Read(JsonNode.Parse(e.RecordJson)!.AsObject()).Feedback.UserCommentDigest!)];
    }

    [Fact]
    public async Task Feedback_CardThisTrailNeverIssued_400NamingTheCard_NothingRecorded()
    {
        await using var cds = await CdsHooksTestHost.StartAsync();
        var issued = await IssuedCardAsync(cds);
        var feedback = JsonNode.Parse($$"""
            {"feedback":[
              {"card":"{{issued}}","outcome":"accepted","outcomeTimestamp":"2025-06-01T09:31:12Z"},
              {"card":"{{UnknownCard.ToUpperInvariant()}}","outcome":"overridden","outcomeTimestamp":"2025-06-01T09:31:12Z"}]}
            """);

        var (status, body) = await cds.SendAsync(HttpMethod.Post, Path, feedback);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        var violation = Assert.Single(body["violations"]!.AsArray())!;
        Assert.Equal("feedback[1].card", (string?)violation["field"]);
        Assert.Contains("not the uuid of a card of a decision", (string?)violation["description"], StringComparison.Ordinal);
        Assert.Empty((await cds.Audit.ListAsync(new EntryFilter { Kind = EntryKinds.CardFeedback })).Items);
    }

    [Fact]
    public async Task Feedback_CardSayingTheCheckCouldNotBeMade_Refused()
    {
        await using var cds = await CdsHooksTestHost.StartAsync();
        var call = AppointmentBook("p1", Prefetch(Patient("p1", "2023-08")), Appointment("apt", "p1", CdsHooksCalls.Start));
        var (_, answer) = await cds.CallAsync("massage-safety-appointment", call);
        var card = answer["cards"]![0]!;
        Assert.Equal("massage-safety-check-not-made", (string?)card["source"]!["topic"]!["code"]);

        var (status, _) = await cds.SendAsync(HttpMethod.Post, Path, JsonNode.Parse($$"""{"feedback":[{"card":"{{(string)card["uuid"]!}}","outcome":"accepted","outcomeTimestamp":"2025-06-01T09:31:12Z"}]}"""));

        Assert.Equal(HttpStatusCode.BadRequest, status);
    }

    /// <summary>The uuid of the verdict card of a decision <paramref name="cds"/> made and recorded.</summary>
    private static async Task<string> IssuedCardAsync(CdsHooksTestHost cds)
    {
        var (status, body) = await cds.CallAsync("massage-safety-appointment", CdsHooksCalls.Toddler());
        Assert.Equal(HttpStatusCode.OK, status);
        return (string)body["cards"]![0]!["uuid"]!;
    }

    [Theory]
    [InlineData("""{"feedback":[{"outcome":"overridden","outcomeTimestamp":"2025-06-01T09:31:12Z"}]}""", "feedback[0].card")]
    [InlineData("""{"feedback":[{"card":"Testchild Quokka MRN-ZEBRA-4711","outcome":"accepted","outcomeTimestamp":"2025-06-01T09:31:12Z"}]}""", "feedback[0].card")]
    [InlineData("""{"feedback":[{"card":"{01960000-0000-7000-8000-0000000000aa}","outcome":"accepted","outcomeTimestamp":"2025-06-01T09:31:12Z"}]}""", "feedback[0].card")]
    [InlineData("""{"feedback":[{"card":"019600000000700080000000000000aa","outcome":"accepted","outcomeTimestamp":"2025-06-01T09:31:12Z"}]}""", "feedback[0].card")]
    [InlineData("""{"feedback":[{"card":"01960000-0000-7000-8000-0000000000aa","outcome":"accepted","outcomeTimestamp":"2025-06-01T09:31:12Z"},{"card":"MRN-ZEBRA-4711","outcome":"accepted","outcomeTimestamp":"2025-06-01T09:31:12Z"}]}""", "feedback[1].card")]
    [InlineData("""{"feedback":[{"card":"01960000-0000-7000-8000-0000000000aa","outcome":"ignored","outcomeTimestamp":"2025-06-01T09:31:12Z"}]}""", "feedback[0].outcome")]
    [InlineData("""{"feedback":[{"card":"01960000-0000-7000-8000-0000000000aa","outcomeTimestamp":"2025-06-01T09:31:12Z"}]}""", "feedback[0].outcome")]
    [InlineData("""{"feedback":[{"card":"01960000-0000-7000-8000-0000000000aa","outcome":"accepted"}]}""", "feedback[0].outcomeTimestamp")]
    [InlineData("""{"feedback":[{"card":"01960000-0000-7000-8000-0000000000aa","outcome":"accepted","outcomeTimestamp":"2025-06-01T09:35:01Z"}]}""", "feedback[0].outcomeTimestamp")]
    [InlineData("""{"feedback":[{"card":"01960000-0000-7000-8000-0000000000aa","outcome":"accepted","outcomeTimestamp":"yesterday"}]}""", "feedback[0].outcomeTimestamp")]
    [InlineData("""{"feedback":[{"card":"01960000-0000-7000-8000-0000000000aa","outcome":"accepted","outcomeTimestamp":"Mon, 02 Mar 2026 10:05:31 GMT"}]}""", "feedback[0].outcomeTimestamp")]
    [InlineData("""{"feedback":[{"card":"01960000-0000-7000-8000-0000000000aa","outcome":"accepted","outcomeTimestamp":"2026-03-02T10:05:31 Z"}]}""", "feedback[0].outcomeTimestamp")]
    [InlineData("""{"feedback":[{"card":"01960000-0000-7000-8000-0000000000aa","outcome":"accepted","outcomeTimestamp":"2026-03-02T10:05:31"}]}""", "feedback[0].outcomeTimestamp")]
    [InlineData("""{"feedback":[{"card":"01960000-0000-7000-8000-0000000000aa","outcome":"overridden","overrideReason":{"reason":{"system":"urn:safetycheck:cds-override-reason"}},"outcomeTimestamp":"2025-06-01T09:31:12Z"}]}""", "feedback[0].overrideReason.reason.code")]
    [InlineData("""{"feedback":[{"card":"01960000-0000-7000-8000-0000000000aa","outcome":"overridden","overrideReason":{"reason":{"system":"urn:safetycheck:cds-override-reason","code":"Testchild Quokka"}},"outcomeTimestamp":"2025-06-01T09:31:12Z"}]}""", "feedback[0].overrideReason.reason.code")]
    [InlineData("""{"feedback":[{"card":"01960000-0000-7000-8000-0000000000aa","outcome":"overridden","overrideReason":{"reason":{"system":"urn:safetycheck:cds-override-reason","code":"Plan-Changed"}},"outcomeTimestamp":"2025-06-01T09:31:12Z"}]}""", "feedback[0].overrideReason.reason.code")]
    [InlineData("""{"feedback":[{"card":"01960000-0000-7000-8000-0000000000aa","outcome":"overridden","overrideReason":{"reason":{"system":"urn:example:MRN-ZEBRA-4711","code":"plan-changed"}},"outcomeTimestamp":"2025-06-01T09:31:12Z"}]}""", "feedback[0].overrideReason.reason.system")]
    [InlineData("""{"feedback":[{"card":"01960000-0000-7000-8000-0000000000aa","outcome":"overridden","overrideReason":{"reason":{"code":"plan-changed","display":"The session plan was changed to follow this"}},"outcomeTimestamp":"2025-06-01T09:31:12Z"}]}""", "feedback[0].overrideReason.reason.system")]
    [InlineData("""{"feedback":[{"card":"01960000-0000-7000-8000-0000000000aa","outcome":"overridden","overrideReason":{"reason":"plan-changed"},"outcomeTimestamp":"2025-06-01T09:31:12Z"}]}""", "feedback[0].overrideReason.reason")]
    [InlineData("""{"feedback":[{"card":"01960000-0000-7000-8000-0000000000aa","outcome":"accepted","acceptedSuggestions":[{"id":"Testchild Quokka"}],"outcomeTimestamp":"2025-06-01T09:31:12Z"}]}""", "feedback[0].acceptedSuggestions[0]")]
    [InlineData("""{"feedback":[{"card":"01960000-0000-7000-8000-0000000000aa","outcome":"accepted","acceptedSuggestions":[{}],"outcomeTimestamp":"2025-06-01T09:31:12Z"}]}""", "feedback[0].acceptedSuggestions[0]")]
    [InlineData("""{"feedback":[{"card":"01960000-0000-7000-8000-0000000000aa","outcome":"accepted","acceptedSuggestions":{"id":"s1"},"outcomeTimestamp":"2025-06-01T09:31:12Z"}]}""", "feedback[0].acceptedSuggestions")]
    [InlineData("""{"feedback":[]}""", "feedback")]
    public async Task Feedback_Malformed_400NamingTheFieldAndNothingRecorded(string json, string field)
    {
        await using var cds = await CdsHooksTestHost.StartAsync();

        var (status, body) = await cds.SendAsync(HttpMethod.Post, Path, JsonNode.Parse(json));

        Assert.Equal(HttpStatusCode.BadRequest, status);
        var violation = Assert.Single(body["violations"]!.AsArray())!;
        Assert.Equal(field, (string?)violation["field"]);
        Assert.Equal(0, (await cds.Audit.HeadAsync()).Size);
    }

    [Fact]
    public async Task Feedback_RefusedReasonAndSuggestion_SayWhatIsAccepted()
    {
        await using var cds = await CdsHooksTestHost.StartAsync();
        var feedback = JsonNode.Parse("""
            {"feedback":[
              {"card":"01960000-0000-7000-8000-0000000000aa","outcome":"overridden","overrideReason":{"reason":{"system":"urn:example:other","code":"other"}},"outcomeTimestamp":"2025-06-01T09:31:12Z"},
              {"card":"not-a-uuid","outcome":"accepted","acceptedSuggestions":[{"id":"s1"}],"outcomeTimestamp":"2025-06-01T09:31:12Z"}
            ]}
            """);

        var (status, body) = await cds.SendAsync(HttpMethod.Post, Path, feedback);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        var violations = body["violations"]!.AsArray().ToDictionary(v => (string)v!["field"]!, v => (string)v!["description"]!);
        Assert.Equal(
            ["feedback[0].overrideReason.reason.system", "feedback[0].overrideReason.reason.code", "feedback[1].card", "feedback[1].acceptedSuggestions[0]"],
            violations.Keys);
        Assert.Contains("urn:safetycheck:cds-override-reason", violations["feedback[0].overrideReason.reason.system"], StringComparison.Ordinal);
        Assert.Contains("clinician-cleared, plan-changed, record-incorrect", violations["feedback[0].overrideReason.reason.code"], StringComparison.Ordinal);
        Assert.Equal("must be the uuid of a card this service returned, e.g. 01960000-0000-7000-8000-000000000000", violations["feedback[1].card"]);
        Assert.Equal("this service's cards offer no suggestions", violations["feedback[1].acceptedSuggestions[0]"]);
        Assert.DoesNotContain("not-a-uuid", body.ToJsonString(), StringComparison.Ordinal);
        Assert.Equal(0, (await cds.Audit.HeadAsync()).Size);
    }

    [Fact]
    public async Task Feedback_ReasonsTheCardsOffer_AreTheReasonsFeedbackAccepts()
    {
        await using var cds = await CdsHooksTestHost.StartAsync();
        var (_, answer) = await cds.CallAsync("massage-safety-appointment", CdsHooksCalls.Toddler());
        var card = answer["cards"]!.AsArray().First(c => c!["overrideReasons"] is not null)!;
        var offered = card["overrideReasons"]!.AsArray().Select(r => r!.AsObject()).ToArray();
        var items = new JsonArray([.. offered.Select(r => (JsonNode)new JsonObject
        {
            ["card"] = (string)card["uuid"]!,
            ["outcome"] = "overridden",
            ["overrideReason"] = new JsonObject { ["reason"] = new JsonObject { ["system"] = (string)r["system"]!, ["code"] = (string)r["code"]! } },
            ["outcomeTimestamp"] = "2025-06-01T09:31:12Z",
        })]);

        var (status, _) = await cds.SendAsync(HttpMethod.Post, "/cds-services/massage-safety-appointment/feedback", new JsonObject { ["feedback"] = items });

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(3, offered.Length);
        var recorded = (await cds.Audit.ListAsync(new EntryFilter { Kind = EntryKinds.CardFeedback })).Items
            .Select(e => CardFeedbackEntry.Read(JsonNode.Parse(e.RecordJson)!.AsObject()).Feedback.OverrideReason!);
        Assert.Equal(offered.Select(r => ((string)r["system"]!, (string)r["code"]!, (string)r["display"]!)), recorded.Select(r => (r.System, r.Code, r.Display)));
    }

    [Fact]
    public async Task Feedback_TokenForTheService_Accepted_TokenForAnotherService_Refused()
    {
        await using var cds = await CdsHooksTestHost.StartAsync();
        var feedback = JsonNode.Parse($$"""{"feedback":[{"card":"{{await IssuedCardAsync(cds)}}","outcome":"overridden","outcomeTimestamp":"2025-06-01T09:31:12Z"}]}""");

        var (serviceAudience, _) = await cds.SendAsync(HttpMethod.Post, Path, feedback, cds.Ehr.Token("/cds-services/massage-safety-order"));
        var (otherAudience, _) = await cds.SendAsync(HttpMethod.Post, Path, feedback, cds.Ehr.Token("/cds-services/massage-safety-appointment/feedback"));

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
        var issued = await IssuedCardAsync(cds);
        store.FailWrites = true;

        var (status, body) = await cds.CallAsync("massage-safety-appointment", CdsHooksCalls.Toddler());
        var (feedbackStatus, _) = await cds.SendAsync(HttpMethod.Post, Path,
            JsonNode.Parse($$"""{"feedback":[{"card":"{{issued}}","outcome":"overridden","outcomeTimestamp":"2025-06-01T09:31:12Z"}]}"""));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
        var card = Assert.Single(body["cards"]!.AsArray())!;
        Assert.Contains("AUDIT_UNAVAILABLE", (string?)card["detail"], StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, feedbackStatus);
    }
}
