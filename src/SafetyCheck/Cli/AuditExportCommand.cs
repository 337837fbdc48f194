using System.Text;
using SafetyCheck.Audit.Export;
using SafetyCheck.Audit.Files;

namespace SafetyCheck.Cli;

/// <summary><c>audit export --format jsonl|csv|fhir [--output FILE]</c>: the whole chain, one line per record.</summary>
internal static class AuditExportCommand
{
    public static Command Create()
    {
        var database = AuditCliOptions.Database();
        var format = AuditCliOptions.Value("--format", "jsonl (default): each record's canonical JSON plus entry_hash, verifiable offline; csv: sequence, decision_id, recorded_at, caller, revision, verdict, rule_ids, entry_hash; fhir: one FHIR R4 AuditEvent per line.", "jsonl|csv|fhir");
        var output = CliOptions.NotEmpty(AuditCliOptions.Value("--output", "Write to FILE (owner-only) instead of stdout (an existing file is replaced).", "FILE"));
        var command = new Command("export", """
            Writes every recorded decision, in sequence order, up to the head when the export starts. The JSON
            Lines form holds the records exactly as hashed, so 'audit verify --export FILE' can check it away from
            the service. The number of records exported goes to stderr.

            Examples:
              safetycheck audit export --format jsonl --output decisions.jsonl
              safetycheck audit verify --export decisions.jsonl
              safetycheck audit export --format csv > decisions.csv
              safetycheck audit export --format fhir --output audit-events.ndjson

            Each record is checked as it is read, as 'audit show' checks one: a record that no longer hashes to its
            entry_hash, a row whose columns (verdict, rule ids, ...) disagree with its record, or one whose prev_hash
            is not the entry hash of the record before it or that follows a missing sequence (a record deleted,
            inserted, or edited and re-hashed), is exported as stored and named on stderr ('CHANGED: sequence N:
            ...', the first 10, then a count).

            Exit codes: 0 exported; 2 exported, but a record was changed after it was recorded (named on stderr), or
            a stored record is not a decision record (csv and fhir read each record; run 'audit verify'), or a bad
            argument; 1 cannot run (no database, cannot write FILE).
            """)
        {
            database,
            format,
            output,
        };
        command.SetAction((parse, cancellationToken) => AuditCliRun.RunAsync(parse, parse.GetValue(database), run => RunAsync(
            run, Format(parse.GetValue(format)), parse.GetValue(output), cancellationToken)));
        return command;
    }

    private static AuditExportFormat Format(string? value) => value?.ToLowerInvariant() switch
    {
        null or "jsonl" => AuditExportFormat.JsonLines,
        "csv" => AuditExportFormat.Csv,
        "fhir" => AuditExportFormat.FhirAuditEvent,
        _ => throw new AuditUsageException(CliOptions.NotOneOf("--format", value, "jsonl", "csv", "fhir")),
    };

    private static async Task<int> RunAsync(AuditCliRun run, AuditExportFormat format, string? file, CancellationToken cancellationToken)
    {
        var chains = run.Chains;
        var changed = new ChangedRows();
        long count;
        try
        {
            if (file is null)
            {
                count = await AuditExporter.ExportAsync(chains, run.Output, format, changed.Check, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                // An export holds personal data (facts, pseudonyms): owner-only, like the database, and so is a
                // folder it creates.
                var path = Path.GetFullPath(file);
                PrivateFiles.CreateParentDirectory(path);
                var writer = new StreamWriter(
                    PrivateFiles.Open(path, FileMode.Create, FileAccess.Write, FileShare.None), new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
                await using (writer.ConfigureAwait(false))
                {
                    count = await AuditExporter.ExportAsync(chains, writer, format, changed.Check, cancellationToken).ConfigureAwait(false);
                }
            }
        }
        catch (InvalidDataException ex)
        {
            await run.Error.WriteLineAsync($"export stopped: {ex.Message}; run 'audit verify'").ConfigureAwait(false);
            return ExitCodes.Rejected;
        }

        var name = format switch { AuditExportFormat.Csv => "csv", AuditExportFormat.FhirAuditEvent => "fhir", _ => "jsonl" };
        await run.Error.WriteLineAsync($"exported {count} record{(count == 1 ? "" : "s")} ({name}){(file is null ? "" : " to " + file)}").ConfigureAwait(false);
        return await changed.ReportAsync(run.Error, "exported as stored").ConfigureAwait(false) ? ExitCodes.Rejected : ExitCodes.Ok;
    }
}
