using System.Text.Json.Nodes;
using SafetyCheck.Audit.Feedback;
using SafetyCheck.Audit.Json;
using SafetyCheck.Audit.Storage;
using SafetyCheck.Audit.Tests.Support;
using SafetyCheck.Audit.Verification;

namespace SafetyCheck.Audit.Tests.Feedback;

public sealed class CardFeedbackEntryTests
{
    private static readonly DateTimeOffset Time = new(2026, 3, 2, 10, 5, 0, TimeSpan.Zero);

    private static readonly CardFeedback Overridden = new()
    {
        Caller = "https://ehr.example.test/",
        Service = "massage-safety-order",
        Card = "01960000-0000-7000-8000-000000000001",
        DecisionId = "01960000-0000-7000-8000-000000000000",
        Outcome = "overridden",
        OutcomeAt = Time.AddSeconds(-30),
        OverrideReason = new OverrideReasonCode("urn:safetycheck:cds-override-reason", "plan-changed", "The session plan was changed to follow this"),
        UserCommentSha256 = new string('a', 64),
    };

    [Fact]
    public void WriteRecord_ThenRead_SameFeedback()
    {
        var entry = new CardFeedbackEntry("01960000-0000-7000-8000-00000000ffff", Time, Overridden with { AcceptedSuggestions = ["s1", "s2"] });

        var read = CardFeedbackEntry.Read(JsonNode.Parse(entry.Canonical(7, AuditHead.GenesisHash))!.AsObject());

        Assert.Equal(entry.EntryId, read.EntryId);
        Assert.Equal(entry.RecordedAt, read.RecordedAt);
        Assert.Equal(entry.Feedback with { AcceptedSuggestions = [] }, read.Feedback with { AcceptedSuggestions = [] });
        Assert.Equal(["s1", "s2"], read.Feedback.AcceptedSuggestions);
    }

    [Fact]
    public void WriteRecord_MinimalFeedback_LeavesOutWhatItDoesNotHave()
    {
        var minimal = Overridden with { DecisionId = null, OverrideReason = null, UserCommentSha256 = null };

        var json = new CardFeedbackEntry("e1", Time, minimal).Canonical(1, AuditHead.GenesisHash);

        Assert.Equal(
            $$"""{"caller":"https://ehr.example.test/","card":"01960000-0000-7000-8000-000000000001","entry_id":"e1","outcome":"overridden","outcome_at":"{{AuditTime.Write(Time.AddSeconds(-30))}}","prev_hash":"{{AuditHead.GenesisHash}}","recorded_at":"{{AuditTime.Write(Time)}}","schema":"safetycheck.card-feedback/v1","sequence":1,"service":"massage-safety-order"}""",
            json);
    }

    [Fact]
    public async Task Verify_FeedbackEntries_ReadAndVerified_AForgedMemberIsFound()
    {
        using var directory = new TempAuditDirectory();
        await using var trail = await TestTrail.OpenAsync(directory.DatabasePath);
        await trail.AppendAsync(new CardFeedbackEntry("e1", Time, Overridden));
        await trail.AppendAsync(new CardFeedbackEntry("e2", Time.AddSeconds(1), Overridden with { Outcome = "accepted", OverrideReason = null }));

        var report = await AuditVerifier.VerifyAsync(trail);
        var rows = await AuditScan.ReadAllAsync(trail, 2).ToListAsync();
        var forgedJson = rows[1].RecordJson.Replace("\"decision_id\"", "\"comment\":\"free text\",\"decision_id\"", StringComparison.Ordinal);
        var forged = rows[1] with { RecordJson = forgedJson, EntryHash = ChainHash.Of(forgedJson) };
        var tampered = await AuditVerifier.VerifyAsync(new[] { rows[0], forged }.ToAsyncEnumerable());

        Assert.True(report.IsValid, report.Message);
        Assert.Equal(2, report.EntriesChecked);
        Assert.DoesNotContain("do not read", report.Message, StringComparison.Ordinal);
        Assert.Equal(VerificationProblem.RecordMalformed, tampered.Problem);
        Assert.Contains("card-feedback/v1", tampered.Message, StringComparison.Ordinal);
    }
}
