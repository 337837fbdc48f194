using Microsoft.Data.Sqlite;
using SafetyCheck.Audit.Checkpoints;
using SafetyCheck.Audit.Export;
using SafetyCheck.Audit.Records;
using SafetyCheck.Audit.Replay;
using SafetyCheck.Audit.Sqlite;
using SafetyCheck.Audit.Storage;
using SafetyCheck.Audit.Verification;
using SafetyCheck.Core.Domain;
using static SafetyCheck.Audit.Tests.Support.AuditTestSupport;

namespace SafetyCheck.Audit.Tests.Compatibility;

/// <summary>A database written by the code before schema v2 (records v1, SQLite layout 1) with today's code.</summary>
public class V1CompatibilityTests
{
    [Fact]
    public async Task Verify_Layout1Database_VerifiesAsWrittenAndAgainstItsCheckpoint()
    {
        using var fixture = new V1Fixture();
        var reader = new SqliteAuditReader(fixture.DatabasePath);
        var checkpoint = Checkpoint.Parse(await File.ReadAllTextAsync(V1Fixture.FixturePath("audit-v1.checkpoint.txt")));
        using var key = CheckpointKeyFile.FromPem(await File.ReadAllTextAsync(V1Fixture.FixturePath("audit-v1.checkpoint-key.pub.pem")));

        var report = await AuditVerifier.VerifyAsync(reader, checkpoint, key);

        Assert.True(report.IsValid, report.Message);
        Assert.Equal(new AuditHead(V1Fixture.Decisions, V1Fixture.HeadHash), report.Head);
        Assert.Equal(
            $"{V1Fixture.Decisions} records verify; head {V1Fixture.HeadHash}; consistent with the checkpoint at {V1Fixture.Decisions}; 1 archived rule revision hashes to its files",
            report.Message);
        Assert.Empty(await reader.MissingTriggersAsync());
    }

    [Fact]
    public async Task Read_V1Records_KeepTheirFullResultAndReadAsV2Content()
    {
        using var fixture = new V1Fixture();
        var reader = new SqliteAuditReader(fixture.DatabasePath);

        var rows = await ReadAllAsync(reader);
        var records = rows.Select(r => r.ToRecord()).ToList();

        Assert.Equal(V1Fixture.Decisions, records.Count);
        Assert.All(rows, r => Assert.Equal(EntryKinds.Decision, r.Kind));
        Assert.All(records, r => Assert.Equal(1, r.SchemaVersion));
        Assert.All(records, r => Assert.Equal(V1Fixture.Revision, r.Content.Revision));
        Assert.All(records, r => Assert.Equal(r.Legacy!.Result.Digest(), r.Content.ResultsDigest));
        Assert.All(records, r => Assert.Equal(r.Legacy!.Result.Precautions.Select(p => p.RuleId), r.Content.Precautions));
        var preterm = records.Single(r => r.Content.Facts.GestationCategoryValue == GestationCategory.VeryPreterm);
        Assert.Equal("safetycheck-pediatric-massage", preterm.Legacy!.Ruleset.Name);
        Assert.Equal(7, preterm.Content.Precautions.Count);
        Assert.Contains(preterm.Legacy.Result.Precautions, p => p.AvoidAreas.Contains(BodyArea.Abdomen));
        Assert.True(preterm.Legacy.Result.Rules.Count > 90);
        Assert.Equal(records.Count(r => r.Content.PlanConflicts.Count > 0), records.Count(r => r.Legacy!.Result.Precautions.Any(p => p.PlanConflict)));
    }

    [Fact]
    public async Task Replay_EveryV1Decision_MatchesOnItsArchivedRevision()
    {
        using var fixture = new V1Fixture();
        var reader = new SqliteAuditReader(fixture.DatabasePath);
        var replayer = new DecisionReplayer(reader);

        var results = new List<ReplayResult>();
        foreach (var row in await ReadAllAsync(reader))
        {
            results.Add(await replayer.ReplayAsync(row.ToRecord()));
        }

        Assert.Equal(V1Fixture.Decisions, results.Count);
        Assert.All(results, r => Assert.True(r.Matches, r.Message));
        Assert.All(results, r => Assert.Equal(V1Fixture.Revision, r.Revision));
    }

    [Fact]
    public async Task ListAndExport_Layout1Database_ReadAsEntries()
    {
        using var fixture = new V1Fixture();
        var reader = new SqliteAuditReader(fixture.DatabasePath);
        using var csv = new StringWriter();
        using var fhir = new StringWriter();

        var notSuitable = await reader.ListAsync(new EntryFilter { Verdict = Suitability.NotSuitable, PageSize = 100 });
        var everything = await reader.ListAsync(new EntryFilter { Kind = null, PageSize = 100 });
        var csvCount = await AuditExporter.ExportAsync(reader, csv, AuditExportFormat.Csv);
        var fhirCount = await AuditExporter.ExportAsync(reader, fhir, AuditExportFormat.FhirAuditEvent);

        Assert.NotEmpty(notSuitable.Items);
        Assert.All(notSuitable.Items, r => Assert.Equal("NOT_SUITABLE", r.Verdict));
        Assert.Equal(V1Fixture.Decisions, everything.Items.Count);
        Assert.Equal(V1Fixture.Decisions, csvCount);
        Assert.Equal(V1Fixture.Decisions, fhirCount);
        Assert.Contains("\"name\":\"safetycheck-pediatric-massage 1.1.0\"", fhir.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task VerifyExport_V1JsonLinesWrittenByTheOldCode_VerifiesOffline()
    {
        var rows = new List<StoredEntry>();
        await foreach (var row in AuditExporter.ReadJsonLinesAsync(new StringReader(V1Fixture.JsonLines())))
        {
            rows.Add(row);
        }

        var report = await AuditVerifier.VerifyAsync(rows.ToAsyncEnumerable());

        Assert.True(report.IsValid, report.Message);
        Assert.Equal(new AuditHead(V1Fixture.Decisions, V1Fixture.HeadHash), report.Head);
    }

    [Fact]
    public async Task PrepareForWrites_Layout1Database_SaysWhichLayoutItWasBroughtFrom()
    {
        using var fixture = new V1Fixture();
        await using var storage = SqliteAuditStorage.Open(fixture.DatabasePath);

        storage.PrepareForWrites();

        Assert.Equal(1L, storage.UpgradedFromLayout);
        Assert.Equal(3, SqliteAuditStorage.Layout);
    }

    [Fact]
    public async Task Open_Layout1Database_MovesItsRecordsUnchangedAndContinuesTheChainInV2()
    {
        using var fixture = new V1Fixture();
        var before = await ReadAllAsync(new SqliteAuditReader(fixture.DatabasePath));

        await using (var trail = await OpenAsync(fixture.DatabasePath))
        {
            await trail.AppendAsync(Draft("R50.9"));
            await trail.AppendAsync(Draft("L20.9"));
        }

        var reader = new SqliteAuditReader(fixture.DatabasePath);
        var after = await ReadAllAsync(reader);
        var report = await AuditVerifier.VerifyAsync(reader);
        var replayer = new DecisionReplayer(reader);
        var replays = new List<ReplayResult>();
        foreach (var row in after)
        {
            replays.Add(await replayer.ReplayAsync(row.ToRecord()));
        }

        Assert.Equal(before, after.Take(V1Fixture.Decisions));
        Assert.Equal([2, 2], after.Skip(V1Fixture.Decisions).Select(r => r.ToRecord().SchemaVersion));
        Assert.Equal(V1Fixture.HeadHash, after[V1Fixture.Decisions].PrevHash);
        Assert.True(report.IsValid, report.Message);
        Assert.Equal(V1Fixture.Decisions + 2, report.EntriesChecked);
        Assert.All(replays, r => Assert.True(r.Matches, r.Message));
        using var raw = Raw(fixture.DatabasePath);
        using var command = raw.CreateCommand();
        command.CommandText = "SELECT group_concat(name, ',') FROM (SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name); PRAGMA user_version;";
        using var result = command.ExecuteReader();
        Assert.True(result.Read());
        Assert.Equal("entries,revision_files,revisions,verified_points", result.GetString(0));
        Assert.True(result.NextResult() && result.Read());
        Assert.Equal(3L, result.GetInt64(0));
    }

    [Fact]
    public async Task Open_Layout1DatabaseWithDroppedTriggers_RestoresThemAndMoves()
    {
        using var fixture = new V1Fixture();
        using (var raw = Raw(fixture.DatabasePath))
        {
            Execute(raw, "DROP TRIGGER decisions_no_delete;");
        }

        Assert.Equal(["decisions_no_delete"], await new SqliteAuditReader(fixture.DatabasePath).MissingTriggersAsync());
        await using (var storage = SqliteAuditStorage.Open(fixture.DatabasePath))
        {
            Assert.Equal(["decisions_no_delete"], storage.MissingTriggers);
            storage.PrepareForWrites();
        }

        using var connection = Raw(fixture.DatabasePath);
        var ex = Assert.Throws<SqliteException>(() => Execute(connection, "DELETE FROM entries WHERE sequence = 1;"));
        Assert.Contains("append-only", ex.Message);
    }
}
