using System.Text.Json.Nodes;
using SafetyCheck.Audit.Export;
using SafetyCheck.Audit.Feedback;
using SafetyCheck.Audit.Json;
using SafetyCheck.Audit.Pseudonyms;
using SafetyCheck.Audit.Sqlite;
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
        UserCommentDigest = new KeyedDigest(new string('a', 64), "k-test"),
    };

    /// <summary>
    /// A card-feedback/v1 record exactly as the build before v2 wrote it: the card, the reason's coding and the
    /// suggestion ids as sent, and the comment's unkeyed SHA-256.
    /// </summary>
    private static readonly string V1Record =
        $$"""{"accepted_suggestions":["s1","s2"],"caller":"https://ehr.example.test/","card":"Testchild Quokka MRN-ZEBRA-4711","entry_id":"01960000-0000-7000-8000-00000000fff1","outcome":"overridden","outcome_at":"2026-03-02T10:04:30.0000000Z","override_reason":{"code":"anything","display":"As the caller wrote it","system":"urn:example:other"},"prev_hash":"{{AuditHead.GenesisHash}}","recorded_at":"2026-03-02T10:05:00.0000000Z","schema":"safetycheck.card-feedback/v1","sequence":1,"service":"massage-safety-order","user_comment_sha256":"{{new string('b', 64)}}"}""";

    [Fact]
    public void WriteRecord_ThenRead_SameFeedback()
    {
        var entry = new CardFeedbackEntry("01960000-0000-7000-8000-00000000ffff", Time, Overridden);

        var read = CardFeedbackEntry.Read(JsonNode.Parse(entry.Canonical(7, AuditHead.GenesisHash))!.AsObject());

        Assert.Equal(entry.EntryId, read.EntryId);
        Assert.Equal(entry.RecordedAt, read.RecordedAt);
        Assert.Equal(CardFeedbackEntry.SchemaVersion, read.Version);
        Assert.Equal(entry.Feedback with { AcceptedSuggestions = [] }, read.Feedback with { AcceptedSuggestions = [] });
        Assert.Empty(read.Feedback.AcceptedSuggestions);
    }

    [Fact]
    public void WriteRecord_V2_HoldsTheKeyedCommentDigestAndItsKeyId_NoSha256()
    {
        var json = new CardFeedbackEntry("e1", Time, Overridden).Canonical(1, AuditHead.GenesisHash);

        Assert.Equal(
            $$"""{"caller":"https://ehr.example.test/","card":"01960000-0000-7000-8000-000000000001","decision_id":"01960000-0000-7000-8000-000000000000","entry_id":"e1","outcome":"overridden","outcome_at":"{{AuditTime.Write(Time.AddSeconds(-30))}}","override_reason":{"code":"plan-changed","display":"The session plan was changed to follow this","system":"urn:safetycheck:cds-override-reason"},"prev_hash":"{{AuditHead.GenesisHash}}","recorded_at":"{{AuditTime.Write(Time)}}","schema":"safetycheck.card-feedback/v2","sequence":1,"service":"massage-safety-order","user_comment_hmac":"{{new string('a', 64)}}","user_comment_key_id":"k-test"}""",
            json);
    }

    [Fact]
    public void WriteRecord_MinimalFeedback_LeavesOutWhatItDoesNotHave()
    {
        var minimal = Overridden with { DecisionId = null, OverrideReason = null, UserCommentDigest = null };

        var json = new CardFeedbackEntry("e1", Time, minimal).Canonical(1, AuditHead.GenesisHash);

        Assert.Equal(
            $$"""{"caller":"https://ehr.example.test/","card":"01960000-0000-7000-8000-000000000001","entry_id":"e1","outcome":"overridden","outcome_at":"{{AuditTime.Write(Time.AddSeconds(-30))}}","prev_hash":"{{AuditHead.GenesisHash}}","recorded_at":"{{AuditTime.Write(Time)}}","schema":"safetycheck.card-feedback/v2","sequence":1,"service":"massage-safety-order"}""",
            json);
    }

    [Fact]
    public void Constructor_MemberOfTheOtherVersion_Refused()
    {
        Assert.Throws<ArgumentException>(() => new CardFeedbackEntry("e1", Time, Overridden with { AcceptedSuggestions = ["s1"] }));
        Assert.Throws<ArgumentException>(() => new CardFeedbackEntry("e1", Time, Overridden with { UserCommentDigest = null, UserCommentSha256 = new string('b', 64) }));
        Assert.Throws<ArgumentException>(() => new CardFeedbackEntry("e1", Time, Overridden, CardFeedbackEntry.SchemaVersion1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new CardFeedbackEntry("e1", Time, Overridden, 3));
    }

    [Fact]
    public async Task Verify_FeedbackEntries_ReadAndVerified_AForgedMemberIsFound()
    {
        using var directory = new TempAuditDirectory();
        await using var trail = await TestTrail.OpenAsync(directory.DatabasePath);
        await trail.AppendAsync(new CardFeedbackEntry("e1", Time, Overridden));
        await trail.AppendAsync(new CardFeedbackEntry("e2", Time.AddSeconds(1), Overridden with { Outcome = "accepted", OverrideReason = null, UserCommentDigest = null }));

        var report = await AuditVerifier.VerifyAsync(trail);
        var rows = await AuditScan.ReadAllAsync(trail, 2).ToListAsync();
        var tampered = await AuditVerifier.VerifyAsync(new[] { rows[0], Forge(rows[1], "\"decision_id\"", "\"comment\":\"free text\",\"decision_id\"") }.ToAsyncEnumerable());
        var withV1Hash = await AuditVerifier.VerifyAsync(new[] { Forge(rows[0], "\"user_comment_hmac\"", $"\"user_comment_sha256\":\"{new string('b', 64)}\",\"user_comment_hmac\"") }.ToAsyncEnumerable());
        var withSuggestions = await AuditVerifier.VerifyAsync(new[] { Forge(rows[0], "\"caller\"", "\"accepted_suggestions\":[\"Testchild Quokka\"],\"caller\"") }.ToAsyncEnumerable());

        Assert.True(report.IsValid, report.Message);
        Assert.Equal(2, report.EntriesChecked);
        Assert.DoesNotContain("do not read", report.Message, StringComparison.Ordinal);
        Assert.Equal(VerificationProblem.RecordMalformed, tampered.Problem);
        Assert.Contains("card-feedback/v2", tampered.Message, StringComparison.Ordinal);
        Assert.Equal(VerificationProblem.RecordMalformed, withV1Hash.Problem);
        Assert.Equal(VerificationProblem.RecordMalformed, withSuggestions.Problem);
    }

    [Fact]
    public async Task V1Record_ReadsVerifiesAndExportsUnchanged()
    {
        using var directory = new TempAuditDirectory();
        await using (var store = SqliteAuditStorage.Open(directory.DatabasePath))
        {
            // Stored as the build before v2 stored it.
            await store.AppendAsync([new StoredEntry(1, EntryKinds.CardFeedback, "01960000-0000-7000-8000-00000000fff1", "2026-03-02T10:05:00.0000000Z", null, null, null, V1Record, AuditHead.GenesisHash, ChainHash.Of(V1Record))]);
        }

        await using var trail = await TestTrail.OpenAsync(directory.DatabasePath);
        await trail.AppendAsync(new CardFeedbackEntry("e2", Time.AddSeconds(1), Overridden));
        var read = CardFeedbackEntry.Read(JsonNode.Parse(V1Record)!.AsObject());
        var report = await AuditVerifier.VerifyAsync(trail);
        using var export = new StringWriter();
        var exported = await AuditExporter.ExportAsync(trail, export, AuditExportFormat.JsonLines);
        using var reread = new StringReader(export.ToString());
        var rows = await AuditExporter.ReadJsonLinesAsync(reread).ToListAsync();
        var forged = await AuditVerifier.VerifyAsync(new[] { Forge(rows[0], "\"user_comment_sha256\"", $"\"user_comment_hmac\":\"{new string('a', 64)}\",\"user_comment_key_id\":\"k-test\",\"user_comment_sha256\"") }.ToAsyncEnumerable());

        Assert.Equal(CardFeedbackEntry.SchemaVersion1, read.Version);
        Assert.Equal("Testchild Quokka MRN-ZEBRA-4711", read.Feedback.Card);
        Assert.Equal(["s1", "s2"], read.Feedback.AcceptedSuggestions);
        Assert.Equal(new OverrideReasonCode("urn:example:other", "anything", "As the caller wrote it"), read.Feedback.OverrideReason);
        Assert.Equal(new string('b', 64), read.Feedback.UserCommentSha256);
        Assert.Null(read.Feedback.UserCommentDigest);
        Assert.Equal(V1Record, read.Canonical(1, AuditHead.GenesisHash));
        Assert.True(report.IsValid, report.Message);
        Assert.Equal(2, report.EntriesChecked);
        Assert.DoesNotContain("do not read", report.Message, StringComparison.Ordinal);
        Assert.Equal(2, exported);
        Assert.Equal(V1Record, rows[0].RecordJson);
        Assert.Contains("safetycheck.card-feedback/v2", rows[1].RecordJson, StringComparison.Ordinal);
        Assert.True((await AuditVerifier.VerifyAsync(rows.ToAsyncEnumerable())).IsValid);
        Assert.Equal(VerificationProblem.RecordMalformed, forged.Problem);
        Assert.Contains("card-feedback/v1", forged.Message, StringComparison.Ordinal);
    }

    private static StoredEntry Forge(StoredEntry row, string member, string replacement)
    {
        var json = row.RecordJson.Replace(member, replacement, StringComparison.Ordinal);
        Assert.NotEqual(row.RecordJson, json);
        return row with { RecordJson = json, EntryHash = ChainHash.Of(json) };
    }
}
