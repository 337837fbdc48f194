using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using SafetyCheck.Core.Domain;

namespace SafetyCheck.Core.Audit;

/// <summary>
/// Writes the chain (up to the head when the export starts) in sequence order, one line per record, with <c>\n</c>
/// line ends; and reads a JSON Lines export back so it can be verified away from the service.
/// </summary>
public static class AuditExporter
{
    /// <summary>The CSV header line.</summary>
    public const string CsvHeader = "sequence,decision_id,recorded_at,caller,revision,verdict,rule_ids,entry_hash";

    /// <summary>Writes every record of <paramref name="reader"/> to <paramref name="output"/>; returns how many were written.</summary>
    /// <exception cref="InvalidDataException">A stored record is not a decision record (CSV and FHIR need to read it; run verify).</exception>
    public static async Task<long> ExportAsync(IAuditReader reader, TextWriter output, AuditExportFormat format, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(reader);
        ArgumentNullException.ThrowIfNull(output);
        if (format == AuditExportFormat.Csv)
        {
            await output.WriteAsync(CsvHeader + "\n").ConfigureAwait(false);
        }

        var head = await reader.HeadAsync(cancellationToken).ConfigureAwait(false);
        var count = 0L;
        await foreach (var row in AuditScan.ReadAllAsync(reader, head.Size, cancellationToken).ConfigureAwait(false))
        {
            var line = format switch
            {
                AuditExportFormat.JsonLines => JsonLine(row),
                AuditExportFormat.Csv => CsvLine(row),
                AuditExportFormat.FhirAuditEvent => FhirAuditEventMapper.ToJson(row.ToRecord()),
                _ => throw new ArgumentOutOfRangeException(nameof(format), format, "Unknown export format."),
            };
            await output.WriteAsync(line + "\n").ConfigureAwait(false);
            count++;
        }

        await output.FlushAsync(cancellationToken).ConfigureAwait(false);
        return count;
    }

    /// <summary>
    /// Reads a JSON Lines export back into rows (index columns derived from each record), in file order, for
    /// <see cref="AuditVerifier"/>. Blank lines are skipped.
    /// </summary>
    /// <exception cref="InvalidDataException">A line is not an exported record.</exception>
    public static async IAsyncEnumerable<StoredDecision> ReadJsonLinesAsync(TextReader input, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        var lineNumber = 0;
        while (await input.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } line)
        {
            lineNumber++;
            if (line.Length > 0)
            {
                yield return FromJsonLine(line, lineNumber);
            }
        }
    }

    private static string JsonLine(StoredDecision row)
    {
        var node = JsonNode.Parse(row.RecordJson)!.AsObject();
        node["entry_hash"] = row.EntryHash;
        return CanonicalJson.Serialize(node);
    }

    private static StoredDecision FromJsonLine(string line, int lineNumber)
    {
        try
        {
            var node = JsonNode.Parse(line) as JsonObject ?? throw new InvalidDataException("not a JSON object");
            var entryHash = node["entry_hash"]?.GetValue<string>() ?? throw new InvalidDataException("no entry_hash");
            node.Remove("entry_hash");
            var json = CanonicalJson.Serialize(node);
            var (sequence, prevHash, content) = DecisionRecordJson.Parse(json);
            return new StoredDecision(
                sequence,
                content.DecisionId,
                AuditTime.Write(content.RecordedAt),
                EnumNames.Of(content.Verdict),
                content.Ruleset.Revision,
                CanonicalJson.Serialize(new JsonArray([.. content.FiredRuleIds.Select(id => JsonValue.Create(id))])),
                json,
                prevHash,
                entryHash);
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or InvalidDataException or ArgumentException)
        {
            throw new InvalidDataException($"line {lineNumber}: not an exported decision record: {ex.Message}", ex);
        }
    }

    private static string CsvLine(StoredDecision row)
    {
        var record = row.ToRecord();
        return string.Join(',', [
            row.Sequence.ToString(CultureInfo.InvariantCulture),
            Csv(row.DecisionId),
            Csv(row.RecordedAt),
            Csv(record.Content.Caller),
            Csv(row.Revision),
            Csv(row.Verdict),
            Csv(string.Join(' ', record.Content.FiredRuleIds)),
            Csv(row.EntryHash),
        ]);
    }

    /// <summary>RFC 4180 field: quoted when it holds a comma, quote or line break, quotes doubled.</summary>
    private static string Csv(string value)
    {
        if (value.AsSpan().IndexOfAny(",\"\r\n") < 0)
        {
            return value;
        }

        return new StringBuilder(value.Length + 2).Append('"').Append(value.Replace("\"", "\"\"", StringComparison.Ordinal)).Append('"').ToString();
    }
}
