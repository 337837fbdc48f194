using System.Security.Cryptography;
using SafetyCheck.Audit.Checkpoints;
using SafetyCheck.Audit.Records;
using SafetyCheck.Audit.Sqlite;
using SafetyCheck.Audit.Storage;
using SafetyCheck.Audit.Tests.Support;
using SafetyCheck.Audit.Verification;
using SafetyCheck.Core.Domain;
using static SafetyCheck.Audit.Tests.Support.AuditTestSupport;

namespace SafetyCheck.Audit.Tests.Verification;

public class AuditVerifierTests
{
    private static readonly DateTimeOffset CheckpointTime = new(2026, 3, 2, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Verify_EmptyLog_IsValid()
    {
        using var dir = new TempAuditDirectory();
        await using var store = await OpenAsync(dir.DatabasePath);

        var report = await AuditVerifier.VerifyAsync(store);

        Assert.True(report.IsValid);
        Assert.Equal(AuditHead.Empty, report.Head);
    }

    [Fact]
    public async Task Verify_ReaderWhileTheStoreAppends_SeesACommittedPrefix()
    {
        using var dir = new TempAuditDirectory();
        await using var store = await OpenAsync(dir.DatabasePath);
        await Append(store, 5);
        var reader = new SqliteAuditReader(dir.DatabasePath);

        var appending = Task.Run(() => Append(store, 50));
        var report = await AuditVerifier.VerifyAsync(reader);
        await appending;

        Assert.True(report.IsValid, report.Message);
        Assert.InRange(report.EntriesChecked, 5, 55);
        Assert.True((await AuditVerifier.VerifyAsync(reader)).IsValid);
    }

    [Fact]
    public async Task Verify_EditedRecord_NamesItsSequence()
    {
        using var dir = await LogOf(6);
        using (var raw = Raw(dir.DatabasePath))
        {
            DropTriggers(raw);
            Execute(raw, "UPDATE entries SET record = replace(record, '\"caller\":\"dev-key\"', '\"caller\":\"someone-else\"') WHERE sequence = 4;");
        }

        var report = await AuditVerifier.VerifyAsync(new SqliteAuditReader(dir.DatabasePath));

        Assert.Equal(VerificationProblem.EntryHashMismatch, report.Problem);
        Assert.Equal(4, report.FirstBadSequence);
        Assert.Equal(3, report.EntriesChecked);
        Assert.StartsWith("sequence 4:", report.Message);
    }

    [Fact]
    public async Task Verify_EditedAndRehashedRecord_BreaksTheNextLink()
    {
        using var dir = await LogOf(6);
        var reader = new SqliteAuditReader(dir.DatabasePath);
        var row = (await ReadAllAsync(reader))[2];
        var (sequence, prevHash, _, content) = row.ToRecord();
        var forged = DecisionRecordJson.Canonical(content with { Verdict = Suitability.NotSuitable }, sequence, prevHash);
        using (var raw = Raw(dir.DatabasePath))
        {
            DropTriggers(raw);
            Execute(raw, "UPDATE entries SET record = $r, entry_hash = $h, verdict = 'NOT_SUITABLE' WHERE sequence = 3;", ("$r", forged), ("$h", DecisionRecordJson.Hash(forged)));
        }

        var report = await AuditVerifier.VerifyAsync(reader);

        Assert.Equal(VerificationProblem.PrevHashLinkBroken, report.Problem);
        Assert.Equal(4, report.FirstBadSequence);
    }

    [Fact]
    public async Task Verify_V2RecordWithAMemberItsSchemaDoesNotWrite_IsMalformed()
    {
        using var dir = await LogOf(3);
        var reader = new SqliteAuditReader(dir.DatabasePath);
        var last = (await ReadAllAsync(reader))[2];
        var padded = last.RecordJson[..^1] + ",\"zzz\":1}";
        using (var raw = Raw(dir.DatabasePath))
        {
            DropTriggers(raw);
            Execute(raw, "UPDATE entries SET record = $r, entry_hash = $h WHERE sequence = 3;", ("$r", padded), ("$h", DecisionRecordJson.Hash(padded)));
        }

        var report = await AuditVerifier.VerifyAsync(reader);

        Assert.Equal(VerificationProblem.RecordMalformed, report.Problem);
        Assert.Equal(3, report.FirstBadSequence);
        Assert.Contains("not exactly what schema v2 writes", report.Message);
    }

    [Fact]
    public async Task Verify_DeletedMiddleRecord_IsASequenceGap()
    {
        using var dir = await LogOf(6);
        using (var raw = Raw(dir.DatabasePath))
        {
            DropTriggers(raw);
            Execute(raw, "DELETE FROM entries WHERE sequence = 3;");
        }

        var report = await AuditVerifier.VerifyAsync(new SqliteAuditReader(dir.DatabasePath));

        Assert.Equal(VerificationProblem.SequenceGap, report.Problem);
        Assert.Equal(3, report.FirstBadSequence);
        Assert.Contains("records are missing", report.Message);
    }

    [Fact]
    public async Task Verify_IndexColumnChanged_IsReported()
    {
        using var dir = await LogOf(3);
        using (var raw = Raw(dir.DatabasePath))
        {
            DropTriggers(raw);
            Execute(raw, "UPDATE entries SET verdict = 'SUITABLE', rule_ids = '[]' WHERE sequence = 2;");
        }

        var report = await AuditVerifier.VerifyAsync(new SqliteAuditReader(dir.DatabasePath));

        Assert.Equal(VerificationProblem.IndexColumnMismatch, report.Problem);
        Assert.Equal(2, report.FirstBadSequence);
        Assert.Contains("verdict, rule_ids", report.Message);
    }

    [Fact]
    public async Task Verify_TruncatedTail_PassesAloneButFailsAgainstACheckpoint()
    {
        using var dir = await LogOf(8);
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var reader = new SqliteAuditReader(dir.DatabasePath);
        var checkpoint = Checkpoint.Create("test-log", await reader.HeadAsync(), CheckpointTime, key);
        using (var raw = Raw(dir.DatabasePath))
        {
            DropTriggers(raw);
            Execute(raw, "DELETE FROM entries WHERE sequence > 5;");
        }

        var alone = await AuditVerifier.VerifyAsync(reader);
        var report = await AuditVerifier.VerifyAsync(reader, checkpoint, key);

        Assert.True(alone.IsValid, "a hash chain alone cannot see a truncated tail");
        Assert.Equal(VerificationProblem.TruncatedTail, report.Problem);
        Assert.Equal(6, report.FirstBadSequence);
        Assert.Contains("truncated", report.Message);
    }

    [Fact]
    public async Task Verify_RewrittenChain_PassesAloneButFailsAgainstACheckpoint()
    {
        using var dir = await LogOf(6);
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var reader = new SqliteAuditReader(dir.DatabasePath);
        var checkpoint = Checkpoint.Create("test-log", await reader.HeadAsync(), CheckpointTime, key);
        await RewriteFrom(dir.DatabasePath, reader, 2);

        var alone = await AuditVerifier.VerifyAsync(reader);
        var report = await AuditVerifier.VerifyAsync(reader, checkpoint, key);

        Assert.True(alone.IsValid, "a rewritten chain recomputes");
        Assert.Equal(VerificationProblem.RewrittenChain, report.Problem);
        Assert.Contains("rewritten", report.Message);
    }

    [Fact]
    public async Task Verify_CheckpointOfAnEarlierSize_PassesAfterMoreAppends()
    {
        using var dir = new TempAuditDirectory();
        await using var store = await OpenAsync(dir.DatabasePath);
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        await Append(store, 3);
        var checkpoint = Checkpoint.Create("test-log", await store.HeadAsync(), CheckpointTime, key);
        await Append(store, 4);

        var report = await AuditVerifier.VerifyAsync(store, checkpoint, key);

        Assert.True(report.IsValid, report.Message);
        Assert.Equal(7, report.Head.Size);
    }

    [Fact]
    public async Task Verify_CheckpointSignedByAnotherKey_IsRejected()
    {
        using var dir = await LogOf(2);
        using var signer = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var other = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var reader = new SqliteAuditReader(dir.DatabasePath);
        var checkpoint = Checkpoint.Create("test-log", await reader.HeadAsync(), CheckpointTime, signer);

        var report = await AuditVerifier.VerifyAsync(reader, checkpoint, other);

        Assert.Equal(VerificationProblem.CheckpointSignatureInvalid, report.Problem);
    }

    private static async Task Append(TestTrail store, int count)
    {
        for (var i = 0; i < count; i++)
        {
            await store.AppendAsync(Draft(i % 2 == 0 ? [] : ["R50.9"]));
        }
    }

    private static async Task<TempAuditDirectory> LogOf(int count)
    {
        var dir = new TempAuditDirectory();
        await using var store = await OpenAsync(dir.DatabasePath);
        await Append(store, count);
        return dir;
    }

    /// <summary>Changes record <paramref name="from"/> and re-hashes it and every later record, as someone with write access and time could.</summary>
    private static async Task RewriteFrom(string path, IAuditChain reader, long from)
    {
        var rows = await ReadAllAsync(reader);
        var prev = rows.Single(r => r.Sequence == from).PrevHash;
        using var raw = Raw(path);
        DropTriggers(raw);
        Execute(raw, "DELETE FROM entries WHERE sequence >= $from;", ("$from", from));
        foreach (var row in rows.Where(r => r.Sequence >= from))
        {
            var content = row.ToRecord().Content;
            if (row.Sequence == from)
            {
                content = content with { Verdict = Suitability.Suitable, Caller = "forger" };
            }

            var json = DecisionRecordJson.Canonical(content, row.Sequence, prev);
            var hash = DecisionRecordJson.Hash(json);
            Execute(
                raw,
                "INSERT INTO entries VALUES ($s, 'decision', $id, $at, $v, $rev, $rules, $rec, $prev, $hash);",
                ("$s", row.Sequence), ("$id", row.EntryId), ("$at", row.RecordedAt), ("$v", EnumNames.Of(content.Verdict)),
                ("$rev", row.Revision!), ("$rules", row.RuleIds!), ("$rec", json), ("$prev", prev), ("$hash", hash));
            prev = hash;
        }
    }
}
