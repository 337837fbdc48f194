using SafetyCheck.Audit.Export;
using SafetyCheck.Audit.Records;
using SafetyCheck.Audit.Replay;
using SafetyCheck.Audit.Sqlite;
using SafetyCheck.Audit.Storage;
using SafetyCheck.Audit.Tests.Support;
using SafetyCheck.Audit.Verification;
using static SafetyCheck.Audit.Tests.Support.AuditTestSupport;

namespace SafetyCheck.Audit.Tests.Storage;

/// <summary>Entries that are not decisions (a kind this build does not know) in the same chain, through the SQLite store.</summary>
public class EntryKindsTests
{
    [Fact]
    public async Task Chain_WithAnotherKind_VerifiesListsExportsAndReplaysItsDecisions()
    {
        using var dir = new TempAuditDirectory();
        await using var store = await OpenAsync(dir.DatabasePath);
        var first = Draft("R50.9");
        await store.AppendAsync(first);
        var note = new NoteEntry(NewDecisionId(), RecordedAt, "rule set reloaded \"by hand\"", DefaultRules.Identity.Revision);
        await store.AppendAsync(note);
        await store.AppendAsync(Draft("L20.9"));

        var report = await AuditVerifier.VerifyAsync(store);
        var decisions = await store.ListAsync(new EntryFilter());
        var all = await store.ListAsync(new EntryFilter { Kind = null });
        var notes = await store.ListAsync(new EntryFilter { Kind = NoteEntry.NoteKind, Revision = DefaultRules.Identity.Revision });
        using var jsonl = new StringWriter();
        using var csv = new StringWriter();
        var exported = await AuditExporter.ExportAsync(store, jsonl, AuditExportFormat.JsonLines);
        var csvCount = await AuditExporter.ExportAsync(store, csv, AuditExportFormat.Csv);
        var readBack = new List<StoredEntry>();
        await foreach (var row in AuditExporter.ReadJsonLinesAsync(new StringReader(jsonl.ToString())))
        {
            readBack.Add(row);
        }

        Assert.True(report.IsValid, report.Message);
        Assert.StartsWith("3 records verify (1 of kinds this build does not read, by hash, link and envelope); head", report.Message);
        Assert.Equal([1L, 3L], decisions.Items.Select(r => r.Sequence));
        Assert.Equal([1L, 2L, 3L], all.Items.Select(r => r.Sequence));
        Assert.Equal(note.EntryId, Assert.Single(notes.Items).EntryId);
        Assert.Equal(3, exported);
        Assert.Equal(2, csvCount);
        Assert.Equal(await ReadAllAsync(store), readBack);
        Assert.True((await AuditVerifier.VerifyAsync(readBack.ToAsyncEnumerable())).IsValid);
        Assert.Throws<InvalidDataException>(() => all.Items[1].ToRecord());
        Assert.True((await new DecisionReplayer(store).ReplayAsync(decisions.Items[1].ToRecord())).Matches);
    }

    [Theory]
    [InlineData("UPDATE entries SET record = replace(record, 'by hand', 'by script') WHERE sequence = 2;", VerificationProblem.EntryHashMismatch)]
    [InlineData("UPDATE entries SET kind = 'decision' WHERE sequence = 2;", VerificationProblem.IndexColumnMismatch)]
    [InlineData("UPDATE entries SET entry_id = 'x' WHERE sequence = 2;", VerificationProblem.IndexColumnMismatch)]
    [InlineData("DELETE FROM entries WHERE sequence = 2;", VerificationProblem.SequenceGap)]
    public async Task Verify_AnotherKindTamperedWith_IsCaught(string sql, VerificationProblem expected)
    {
        using var dir = new TempAuditDirectory();
        await using (var store = await OpenAsync(dir.DatabasePath))
        {
            await store.AppendAsync(Draft());
            await store.AppendAsync(new NoteEntry(NewDecisionId(), RecordedAt, "rule set reloaded by hand"));
            await store.AppendAsync(Draft());
        }

        using (var raw = Raw(dir.DatabasePath))
        {
            DropTriggers(raw);
            Execute(raw, sql);
        }

        var report = await AuditVerifier.VerifyAsync(new SqliteAuditReader(dir.DatabasePath));

        Assert.Equal(expected, report.Problem);
        Assert.Equal(2, report.FirstBadSequence);
    }
}
