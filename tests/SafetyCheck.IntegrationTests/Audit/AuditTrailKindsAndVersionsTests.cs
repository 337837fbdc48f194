using System.IO.Compression;
using Microsoft.Extensions.DependencyInjection;
using SafetyCheck.Audit.Chain;
using SafetyCheck.Audit.Records;
using SafetyCheck.Audit.Tests.Support;
using SafetyCheck.IntegrationTests.Infrastructure;

namespace SafetyCheck.IntegrationTests.Audit;

/// <summary>
/// The <c>audit</c> verbs and the service on trails they did not write the usual way: a database written before schema
/// v2 (records v1, layout 1), and a chain holding an entry of a kind this build does not know.
/// </summary>
public sealed class AuditTrailKindsAndVersionsTests
{
    private const int V1Decisions = 26;

    private const string V1Revision = "f9c5f05c8cc078e7a48e6d91ceb0394c1b4180c53c23f8651d7782f69e55f155";

    [Fact]
    public async Task Verbs_V1Database_VerifyListReplayAndExportItAsWritten()
    {
        using var folder = V1Database();

        var verify = await Audit(folder, "verify");
        var list = await Audit(folder, "list", "--limit", "1000");
        var replay = await Audit(folder, "replay", "--all");
        var export = await Audit(folder, "export", "--format", "csv");

        Assert.True(verify.ExitCode == 0, verify.ToString());
        Assert.StartsWith($"ok: {V1Decisions} records verify; head 49547434a84b", verify.Output, StringComparison.Ordinal);
        Assert.Equal(V1Decisions, list.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
        Assert.True(replay.ExitCode == 0, replay.ToString());
        Assert.Contains($"{V1Decisions} match, 0 do not, on 1 revision", replay.Output, StringComparison.Ordinal);
        Assert.True(export.ExitCode == 0, export.ToString());
        Assert.Equal(V1Decisions + 1, export.Output.TrimEnd('\n').Split('\n').Length);
    }

    [Fact]
    public async Task Serve_V1Database_ContinuesItsChainWithV2Records()
    {
        using var folder = V1Database();
        Protos.V1.CheckResponse response;
        await using (var host = await TestServerHost.StartAsync(TestPaths.Rules, args: [folder.HostArgument]))
        {
            response = await host.Client.CheckAsync(AuditRequests.Fever());
        }

        var verify = await Audit(folder, "verify");
        var replay = await Audit(folder, "replay", "--all");
        var show = await Audit(folder, "show", response.DecisionId);

        Assert.Equal((ulong)V1Decisions + 1, response.Audit.Sequence);
        Assert.True(verify.ExitCode == 0, verify.ToString());
        Assert.StartsWith($"ok: {V1Decisions + 1} records verify", verify.Output, StringComparison.Ordinal);
        Assert.True(replay.ExitCode == 0, replay.ToString());
        var revisions = response.Ruleset.Revision == V1Revision ? "1 revision" : "2 revisions";
        Assert.Contains($"{V1Decisions + 1} match, 0 do not, on {revisions}", replay.Output, StringComparison.Ordinal);
        Assert.Contains("\"schema\": \"safetycheck.decision/v2\"", show.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verbs_ChainWithAnotherKind_VerifyListReplayAndExportCope()
    {
        using var folder = new TempAuditFolder();
        var note = new NoteEntry("01900000-0000-7000-8000-00000000abcd", TestServerHost.Now, "rule set reloaded");
        await using (var host = await TestServerHost.StartAsync(TestPaths.Rules, args: [folder.HostArgument]))
        {
            await host.Client.CheckAsync(AuditRequests.Fever());
            await host.Services.GetRequiredService<AuditChainWriter>().AppendAsync(note);
            await host.Client.CheckAsync(AuditRequests.Eczema());
        }

        var verify = await Audit(folder, "verify");
        var decisions = await Audit(folder, "list");
        var all = await Audit(folder, "list", "--kind", "all");
        var replay = await Audit(folder, "replay", "--all");
        var jsonl = folder.File("trail.jsonl");
        var export = await Audit(folder, "export", "--output", jsonl);
        var verifyExport = await Audit(folder, "verify", "--export", jsonl);
        var csv = await Audit(folder, "export", "--format", "csv");
        var showNote = await Audit(folder, "replay", note.EntryId);

        Assert.True(verify.ExitCode == 0, verify.ToString());
        Assert.StartsWith("ok: 3 records verify (1 of kinds this build does not read", verify.Output, StringComparison.Ordinal);
        Assert.Equal(2, decisions.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
        Assert.Contains("2 decisions listed", decisions.Error, StringComparison.Ordinal);
        Assert.Contains("3 entries listed", all.Error, StringComparison.Ordinal);
        Assert.True(all.Output.Contains($"     2  {note.EntryId}  2025-06-01T09:30:00.0000000Z  note                       -             -", StringComparison.Ordinal), all.Output);
        Assert.True(replay.ExitCode == 0, replay.ToString());
        Assert.Contains("2 match, 0 do not, on 1 revision", replay.Output, StringComparison.Ordinal);
        Assert.True(export.ExitCode == 0 && verifyExport.ExitCode == 0, export + "\n" + verifyExport);
        Assert.Contains("exported 3 records", export.Error, StringComparison.Ordinal);
        Assert.Equal(3, csv.Output.TrimEnd('\n').Split('\n').Length);
        Assert.Equal(2, showNote.ExitCode);
    }

    [Fact]
    public async Task Verbs_RefusedReload_ListedWithItsCandidateAndOutcome_AndNotReplayed()
    {
        using var folder = new TempAuditFolder();
        var candidate = new string('c', 64);
        ReloadRecord reload;
        string served;
        await using (var host = await TestServerHost.StartAsync(TestPaths.Rules, args: [folder.HostArgument]))
        {
            served = (await host.Client.CheckAsync(AuditRequests.Fever())).Ruleset.Revision;
            reload = new ReloadRecord("01900000-0000-7000-8000-00000000beef", TestServerHost.Now, served, candidate, served,
                ReloadRecord.FileWatchTrigger, null, ReloadRecord.Refused, 0, 0, 1, ["rules.json:1:1: error: a test"]);
            await host.Services.GetRequiredService<AuditChainWriter>().AppendAsync(reload);
            await host.Client.CheckAsync(AuditRequests.Eczema());
        }

        var all = await Audit(folder, "list", "--kind", "all");
        var replay = await Audit(folder, "replay", reload.EntryId);
        var show = await Audit(folder, "show", reload.EntryId);
        var typo = await Audit(folder, "list", "--kind", "outages");
        var one = await Audit(folder, "list", "--limit", "1");

        Assert.True(all.Output.Contains($"     2  {reload.EntryId}  2025-06-01T09:30:00.0000000Z  reload refused             cccccccccccc  serving {served[..12]}", StringComparison.Ordinal), all.Output);
        Assert.True(replay.ExitCode == 2, replay.ToString());
        Assert.Contains($"{reload.EntryId} in {folder.DatabasePath} is a reload entry (sequence 2), not a decision: it has no decision to replay", replay.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("no decision " + reload.EntryId, replay.Error, StringComparison.Ordinal);
        Assert.True(show.ExitCode == 0, show.ToString());
        Assert.True(typo.ExitCode == 2, typo.ToString());
        Assert.Contains("--kind: 'outages' is not an entry kind: use one of decision, outage, card-feedback, reload, or all", typo.Error, StringComparison.Ordinal);
        Assert.Contains("1 decision listed; more match", one.Error, StringComparison.Ordinal);
    }

    private static TempAuditFolder V1Database()
    {
        var folder = new TempAuditFolder();
        var fixture = Path.Combine(TestPaths.RepositoryRoot, "tests", "SafetyCheck.Audit.Tests", "Compatibility", "Fixtures", "audit-v1.db.gz");
        using var compressed = File.OpenRead(fixture);
        using var gzip = new GZipStream(compressed, CompressionMode.Decompress);
        using var database = File.Create(folder.DatabasePath);
        gzip.CopyTo(database);
        return folder;
    }

    private static Task<CliRun> Audit(TempAuditFolder folder, params string[] args) =>
        CliRun.InvokeAsync(["audit", .. args, "--audit-db", folder.DatabasePath]);
}
