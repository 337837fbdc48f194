using System.Text.Json.Nodes;
using SafetyCheck.Audit.Export;
using SafetyCheck.Audit.Json;
using SafetyCheck.Audit.Records;
using SafetyCheck.Audit.Sqlite;
using SafetyCheck.Audit.Storage;
using SafetyCheck.Audit.Tests.Support;
using SafetyCheck.Audit.Verification;
using static SafetyCheck.Audit.Tests.Support.AuditTestSupport;

namespace SafetyCheck.Audit.Tests.Records;

public class ReloadRecordTests
{
    private static ReloadRecord Refused(string? revision) => new(
        NewDecisionId(), RecordedAt, revision, new string('b', 64), revision, ReloadRecord.FileWatchTrigger, null, ReloadRecord.Refused,
        2, 1, 1, ["rules.cases.json:4:1: error: case 'fever' failed: verdict CLINICIAN_REVIEW_REQUIRED, expected NOT_SUITABLE"]);

    private static ReloadRecord Served(string revision) => new(
        NewDecisionId(), RecordedAt, revision, revision, null, ReloadRecord.CallerTrigger, "ops-admin", ReloadRecord.Served, 2, 0, 0, []);

    [Fact]
    public void WriteRecord_Any_IsCanonicalAndReadsBackEqual()
    {
        var record = Refused(DefaultRules.Identity.Revision);
        using var json = new CanonicalJsonWriter();
        record.WriteRecord(json, 7, AuditHead.GenesisHash);
        var text = json.ToString();

        var node = JsonNode.Parse(text)!.AsObject();
        Assert.Equal(CanonicalJson.Serialize(node), text);
        var read = ReloadRecord.Read(node);
        Assert.Equal(record with { Diagnostics = [] }, read with { Diagnostics = [] });
        Assert.Equal(record.Diagnostics, read.Diagnostics);
        Assert.True(ReloadRecord.IsAsWritten(node, text, 7, AuditHead.GenesisHash));
        Assert.Equal("safetycheck.reload/v1", node["schema"]!.GetValue<string>());
        Assert.Null(node["caller"]);
    }

    [Fact]
    public async Task Verify_ChainWithReloads_ReadsThemInFullAndExportsThemAsJsonLines()
    {
        using var dir = new TempAuditDirectory();
        await using var store = await OpenAsync(dir.DatabasePath);
        await store.AppendAsync(Draft("R50.9"));
        await store.AppendAsync(Served(DefaultRules.Identity.Revision));
        await store.AppendAsync(Refused(DefaultRules.Identity.Revision));
        await store.AppendAsync(Refused(null));

        var report = await AuditVerifier.VerifyAsync(store);
        var reloads = await store.ListAsync(new EntryFilter { Kind = EntryKinds.Reload, Revision = DefaultRules.Identity.Revision });
        using var jsonl = new StringWriter();
        await AuditExporter.ExportAsync(store, jsonl, AuditExportFormat.JsonLines);
        var readBack = new List<StoredEntry>();
        await foreach (var row in AuditExporter.ReadJsonLinesAsync(new StringReader(jsonl.ToString())))
        {
            readBack.Add(row);
        }

        Assert.True(report.IsValid, report.Message);
        Assert.StartsWith("4 records verify; head", report.Message);
        Assert.Equal([2L, 3L], reloads.Items.Select(r => r.Sequence));
        Assert.True((await AuditVerifier.VerifyAsync(readBack.ToAsyncEnumerable())).IsValid);
    }

    [Theory]
    [InlineData("UPDATE entries SET record = replace(record, '\"outcome\":\"refused\"', '\"outcome\":\"served\"') WHERE sequence = 2;", VerificationProblem.EntryHashMismatch)]
    [InlineData("UPDATE entries SET revision = NULL WHERE sequence = 2;", VerificationProblem.IndexColumnMismatch)]
    public async Task Verify_ReloadTamperedWith_IsCaught(string sql, VerificationProblem expected)
    {
        using var dir = new TempAuditDirectory();
        await using (var store = await OpenAsync(dir.DatabasePath))
        {
            await store.AppendAsync(Draft());
            await store.AppendAsync(Refused(DefaultRules.Identity.Revision));
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

    [Fact]
    public async Task Verify_ReloadWithAMemberItsSchemaDoesNotWrite_IsMalformed()
    {
        var record = Refused(null);
        using var json = new CanonicalJsonWriter();
        record.WriteRecord(json, 1, AuditHead.GenesisHash);
        var node = JsonNode.Parse(json.ToString())!.AsObject();
        node["extra"] = "x";
        var text = CanonicalJson.Serialize(node);
        var row = new StoredEntry(1, EntryKinds.Reload, record.EntryId, AuditTime.Write(RecordedAt), null, null, null, text, AuditHead.GenesisHash, ChainHash.Of(text));

        var report = await AuditVerifier.VerifyAsync(new[] { row }.ToAsyncEnumerable());

        Assert.Equal(VerificationProblem.RecordMalformed, report.Problem);
        Assert.Contains("reload/v1", report.Message, StringComparison.Ordinal);
    }
}
