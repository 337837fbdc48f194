using System.Text.Json.Nodes;
using SafetyCheck.Audit.Export;
using SafetyCheck.Audit.Json;
using SafetyCheck.Audit.Sqlite;
using SafetyCheck.Audit.Storage;
using SafetyCheck.Audit.Tests.Support;
using SafetyCheck.Audit.Verification;
using static SafetyCheck.Audit.Tests.Support.AuditTestSupport;

namespace SafetyCheck.Audit.Tests.Export;

public class AuditExporterTests
{
    [Fact]
    public async Task JsonLines_RoundTripsAndVerifiesOffline()
    {
        using var dir = await LogOf(5);
        var reader = new SqliteAuditReader(dir.DatabasePath);
        using var output = new StringWriter();

        var count = await AuditExporter.ExportAsync(reader, output, AuditExportFormat.JsonLines);
        var readBack = new List<StoredEntry>();
        await foreach (var row in AuditExporter.ReadJsonLinesAsync(new StringReader(output.ToString())))
        {
            readBack.Add(row);
        }

        Assert.Equal(5, count);
        Assert.Equal(await ReadAllAsync(reader), readBack);
        Assert.True((await AuditVerifier.VerifyAsync(readBack.ToAsyncEnumerable())).IsValid);
        Assert.All(output.ToString().TrimEnd('\n').Split('\n'), line => Assert.Equal(CanonicalJson.Canonicalize(line), line));
    }

    [Fact]
    public async Task JsonLines_EditedLine_FailsVerification()
    {
        using var dir = await LogOf(3);
        using var output = new StringWriter();
        await AuditExporter.ExportAsync(new SqliteAuditReader(dir.DatabasePath), output, AuditExportFormat.JsonLines);
        var edited = output.ToString().Replace("\"caller\":\"dev-key\"", "\"caller\":\"other\"", StringComparison.Ordinal);

        var report = await AuditVerifier.VerifyAsync(AuditExporter.ReadJsonLinesAsync(new StringReader(edited)));

        Assert.Equal(VerificationProblem.EntryHashMismatch, report.Problem);
        Assert.Equal(1, report.FirstBadSequence);
    }

    [Fact]
    public async Task Csv_HasTheHeaderAndQuotesFieldsThatNeedIt()
    {
        using var dir = new TempAuditDirectory();
        await using (var store = await OpenAsync(dir.DatabasePath))
        {
            await store.AppendAsync(Draft("R50.9"));
            await store.AppendAsync(Draft(DefaultRules, Request(), caller: "clinic, \"north\""));
        }

        using var output = new StringWriter();
        await AuditExporter.ExportAsync(new SqliteAuditReader(dir.DatabasePath), output, AuditExportFormat.Csv);

        var lines = output.ToString().TrimEnd('\n').Split('\n');
        var rows = await ReadAllAsync(new SqliteAuditReader(dir.DatabasePath));
        Assert.Equal("sequence,decision_id,recorded_at,caller,revision,verdict,rule_ids,entry_hash", lines[0]);
        Assert.Equal($"1,{rows[0].EntryId},2026-03-02T10:00:01.0000000Z,dev-key,{DefaultRules.Identity.Revision},NOT_SUITABLE,fever school-age-note,{rows[0].EntryHash}", lines[1]);
        Assert.Contains(",\"clinic, \"\"north\"\"\",", lines[2]);
        Assert.Equal(3, lines.Length);
    }

    [Fact]
    public async Task Fhir_OneAuditEventPerDecisionWithThePseudonymOnly()
    {
        using var dir = await LogOf(2);
        using var output = new StringWriter();

        await AuditExporter.ExportAsync(new SqliteAuditReader(dir.DatabasePath), output, AuditExportFormat.FhirAuditEvent);

        var lines = output.ToString().TrimEnd('\n').Split('\n');
        Assert.Equal(2, lines.Length);
        var first = JsonNode.Parse(lines[0])!;
        Assert.Equal("AuditEvent", first["resourceType"]!.GetValue<string>());
        Assert.Equal("E", first["action"]!.GetValue<string>());
        Assert.Equal(TestPseudonymiser.Pseudonymise(PatientRef), first["entity"]![0]!["what"]!["identifier"]!["value"]!.GetValue<string>());
        Assert.DoesNotContain(PatientRef, output.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(BirthDate, output.ToString(), StringComparison.Ordinal);
    }

    private static async Task<TempAuditDirectory> LogOf(int count)
    {
        var dir = new TempAuditDirectory();
        await using var store = await OpenAsync(dir.DatabasePath);
        for (var i = 0; i < count; i++)
        {
            await store.AppendAsync(Draft(i % 2 == 0 ? ["R50.9"] : []));
        }

        return dir;
    }
}
