using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using SafetyCheck.Audit.Chain;
using SafetyCheck.Audit.Sqlite;
using SafetyCheck.Audit.Storage;
using SafetyCheck.Audit.Tests.Support;
using SafetyCheck.IntegrationTests.Infrastructure;

namespace SafetyCheck.IntegrationTests.Audit;

/// <summary>
/// <c>report</c>, <c>impact</c> and <c>audit export</c> on trails whose links were broken (a row deleted, or edited and
/// re-hashed): each names the row whose link does not hold on stderr and exits 2; a trail left alone, read whole or in
/// part, gives no <c>CHANGED:</c> line.
/// </summary>
public sealed class ChangedLinksCliTests(RecordedTrailFixture trail) : IClassFixture<RecordedTrailFixture>
{
    [Fact]
    public async Task DeletedRow_ReportImpactAndExport_NameTheRowAfterItAndExit2()
    {
        using var copy = trail.Copy();
        Assert.Equal(1, AuditTampering.Execute(copy.DatabasePath, "DELETE FROM entries WHERE sequence = 4;"));

        foreach (var (run, consequence) in await VerbsAsync(copy))
        {
            Assert.True(run.ExitCode == 2, run.ToString());
            var error = run.Error.ReplaceLineEndings("\n");
            Assert.Contains("CHANGED: sequence 5: the record before it (sequence 4) is missing\n", error, StringComparison.Ordinal);
            Assert.Contains($"1 row was changed after it was recorded; {consequence}; run 'audit verify'\n", error, StringComparison.Ordinal);
            Assert.Single(error.Split('\n'), l => l.StartsWith("CHANGED: ", StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task DeletedRow_Report_SaysSoInItsAuditTrailLine()
    {
        using var copy = trail.Copy();
        AuditTampering.Execute(copy.DatabasePath, "DELETE FROM entries WHERE sequence = 6;");
        var output = NewReport();

        var run = await CliRun.InvokeAsync(["report", "--rules", TestPaths.Rules, "--audit-db", copy.DatabasePath, "--output", output]);

        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Contains("CHANGED: sequence 7: the record before it (sequence 6) is missing", run.Error, StringComparison.Ordinal);
        Assert.Contains("CHANGED: 1 decision row was changed after it was recorded", await File.ReadAllTextAsync(output), StringComparison.Ordinal);
    }

    [Fact]
    public async Task EditedAndRehashedRow_ReportImpactAndExport_NameTheRowThatNoLongerLinksToIt()
    {
        using var copy = trail.Copy();
        var row = (await new SqliteAuditReader(copy.DatabasePath).ReadRangeAsync(3, 1).ToListAsync())[0];
        var forged = row.RecordJson.Replace("\"caller\":\"test-all-roles\"", "\"caller\":\"someone-else\"", StringComparison.Ordinal);
        Assert.NotEqual(row.RecordJson, forged);
        AuditTampering.Execute(copy.DatabasePath, $"UPDATE entries SET record = '{forged.Replace("'", "''", StringComparison.Ordinal)}', entry_hash = '{ChainHash.Of(forged)}' WHERE sequence = 3;");

        foreach (var (run, _) in await VerbsAsync(copy))
        {
            Assert.True(run.ExitCode == 2, run.ToString());
            Assert.Contains("CHANGED: sequence 4: its prev_hash is not the entry hash of the record before it (sequence 3)\n", run.Error.ReplaceLineEndings("\n"), StringComparison.Ordinal);
            Assert.DoesNotContain("no longer hashes", run.Error, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task DeletedFirstRow_Export_NamesItFromTheRowAfter()
    {
        using var copy = trail.Copy();
        AuditTampering.Execute(copy.DatabasePath, "DELETE FROM entries WHERE sequence = 1;");

        var run = await CliRun.InvokeAsync(["audit", "export", "--audit-db", copy.DatabasePath]);

        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Contains("CHANGED: sequence 2: the record before it (sequence 1) is missing", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task IntactTrail_ReadWholeOrFromLaterDecisions_Exits0WithNoChangedLine()
    {
        using var copy = trail.Copy();

        // From half an hour before the fifth decision: the rows read start at sequence 5, linked to nothing read.
        var from = trail.Responses[4].EvaluatedAt.ToDateTimeOffset().AddMinutes(-30).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        var runs = (await VerbsAsync(copy)).Select(v => v.Run).Concat([
            await CliRun.InvokeAsync(["report", "--rules", TestPaths.Rules, "--audit-db", copy.DatabasePath, "--from", from, "--output", NewReport()]),
            await CliRun.InvokeAsync(["impact", "--rules", TestPaths.Rules, "--audit-db", copy.DatabasePath, "--from", from]),
        ]);

        foreach (var run in runs)
        {
            Assert.True(run.ExitCode == 0, run.ToString());
            Assert.DoesNotContain("CHANGED", run.Error, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task DecisionsWithAnotherEntryBetween_ReportAndImpact_SkipItUnflagged_ButNameItsDeletion()
    {
        using var folder = new TempAuditFolder();
        var note = new NoteEntry("01900000-0000-7000-8000-00000000abce", TestServerHost.Now, "a note between two decisions");
        await using (var host = await TestServerHost.StartAsync(TestPaths.Rules, args: [folder.HostArgument]))
        {
            await host.Client.CheckAsync(AuditRequests.Fever());
            await host.Services.GetRequiredService<AuditChainWriter>().AppendAsync(note);
            await host.Client.CheckAsync(AuditRequests.Eczema());
        }

        // Both verbs read decisions 1 and 3 only: not adjacent, so the note between them is read for its links.
        foreach (var (run, _) in await VerbsAsync(folder))
        {
            Assert.True(run.ExitCode == 0, run.ToString());
            Assert.DoesNotContain("CHANGED", run.Error, StringComparison.Ordinal);
        }

        AuditTampering.Execute(folder.DatabasePath, "DELETE FROM entries WHERE sequence = 2;");

        foreach (var (run, _) in await VerbsAsync(folder))
        {
            Assert.True(run.ExitCode == 2, run.ToString());
            Assert.Contains("CHANGED: sequence 3: the record before it (sequence 2) is missing\n", run.Error.ReplaceLineEndings("\n"), StringComparison.Ordinal);
        }
    }

    private static string NewReport() => Path.Combine(Path.GetTempPath(), "safetycheck-tests", Path.GetRandomFileName(), "report.html");

    /// <summary>Runs report, impact and audit export over the whole trail; with each, the consequence its summary line names.</summary>
    private static async Task<List<(CliRun Run, string Consequence)>> VerbsAsync(TempAuditFolder folder) =>
    [
        (await CliRun.InvokeAsync(["report", "--rules", TestPaths.Rules, "--audit-db", folder.DatabasePath, "--output", NewReport()]), "counted as stored, and the report says so"),
        (await CliRun.InvokeAsync(["impact", "--rules", TestPaths.Rules, "--audit-db", folder.DatabasePath]), "replayed as stored"),
        (await CliRun.InvokeAsync(["audit", "export", "--audit-db", folder.DatabasePath]), "exported as stored"),
    ];
}
