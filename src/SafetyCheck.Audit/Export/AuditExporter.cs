using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using System.Text.Json.Nodes;
using SafetyCheck.Audit.Chain;
using SafetyCheck.Audit.Json;
using SafetyCheck.Audit.Records;
using SafetyCheck.Audit.Storage;
using SafetyCheck.Core.Domain;

namespace SafetyCheck.Audit.Export;

/// <summary>
/// Writes the chain (up to the head when the export starts) in sequence order, one line per record, with <c>\n</c>
/// line ends; and reads a JSON Lines export back so it can be verified away from the service. JSON Lines holds every
/// entry, whatever its kind (the chain must be whole to verify); CSV and FHIR hold decisions only.
/// </summary>
public static partial class AuditExporter
{
    /// <summary>The CSV header line.</summary>
    public const string CsvHeader = "sequence,decision_id,recorded_at,caller,revision,verdict,rule_ids,entry_hash";

    /// <summary>The CSV header line of a store of several chains: a last column names each row's chain.</summary>
    public const string CsvHeaderWithChain = CsvHeader + ",chain";

    /// <summary>Writes the records of <paramref name="reader"/> to <paramref name="output"/>; returns how many were written.</summary>
    /// <exception cref="InvalidDataException">A stored decision record cannot be read (CSV and FHIR need to read it; run verify).</exception>
    public static async Task<long> ExportAsync(IAuditReader reader, TextWriter output, AuditExportFormat format, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(reader);
        ArgumentNullException.ThrowIfNull(output);
        if (format == AuditExportFormat.Csv)
        {
            await output.WriteAsync(CsvHeader + "\n").ConfigureAwait(false);
        }

        return await ExportChainAsync(reader, output, format, null, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Writes every chain of <paramref name="chains"/>, one after the other in chain order. In a store of several chains
    /// each JSON line carries a <c>chain</c> member beside <c>entry_hash</c> (outside the record, so each chain still
    /// verifies offline) and CSV rows end with the chain (<see cref="CsvHeaderWithChain"/>).
    /// </summary>
    /// <param name="chains">The chains to export.</param>
    /// <param name="output">Where the lines go.</param>
    /// <param name="format">The export format.</param>
    /// <param name="onRow">Called with every row read, before its line is written (a caller checks each row with it).</param>
    /// <param name="cancellationToken">Cancels the export.</param>
    /// <exception cref="InvalidDataException">A stored decision record cannot be read (CSV and FHIR need to read it; run verify).</exception>
    public static async Task<long> ExportAsync(IAuditChainSet chains, TextWriter output, AuditExportFormat format, Action<StoredEntry>? onRow = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(chains);
        ArgumentNullException.ThrowIfNull(output);
        var ids = await chains.ListChainsAsync(cancellationToken).ConfigureAwait(false);
        if (format == AuditExportFormat.Csv)
        {
            await output.WriteAsync((ids is [""] ? CsvHeader : CsvHeaderWithChain) + "\n").ConfigureAwait(false);
        }

        var count = 0L;
        foreach (var id in ids)
        {
            count += await ExportChainAsync(chains.Chain(id), output, format, onRow, cancellationToken).ConfigureAwait(false);
        }

        return count;
    }

    private static async Task<long> ExportChainAsync(IAuditReader reader, TextWriter output, AuditExportFormat format, Action<StoredEntry>? onRow, CancellationToken cancellationToken)
    {
        var head = await reader.HeadAsync(cancellationToken).ConfigureAwait(false);
        var rulesets = new RulesetIdentities(reader);
        var count = 0L;
        await foreach (var row in AuditScan.ReadAllAsync(reader, head.Size, cancellationToken).ConfigureAwait(false))
        {
            onRow?.Invoke(row);
            if (format != AuditExportFormat.JsonLines && row.Kind != EntryKinds.Decision)
            {
                continue;
            }

            var line = format switch
            {
                AuditExportFormat.JsonLines => JsonLine(row),
                AuditExportFormat.Csv => CsvLine(row),
                AuditExportFormat.FhirAuditEvent => await FhirLineAsync(row, rulesets, cancellationToken).ConfigureAwait(false),
                _ => throw new ArgumentOutOfRangeException(nameof(format), format, "Unknown export format."),
            };
            await output.WriteAsync(line + "\n").ConfigureAwait(false);
            count++;
        }

        await output.FlushAsync(cancellationToken).ConfigureAwait(false);
        return count;
    }

    /// <summary>
    /// Reads a JSON Lines export back into rows (index columns derived from each record; entries of kinds this build
    /// does not read get only the envelope's), in file order, for <c>AuditVerifier</c>. Blank lines are skipped.
    /// </summary>
    /// <exception cref="InvalidDataException">A line is not an exported record.</exception>
    public static async IAsyncEnumerable<StoredEntry> ReadJsonLinesAsync(TextReader input, [EnumeratorCancellation] CancellationToken cancellationToken = default)
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

    private static string JsonLine(StoredEntry row)
    {
        var node = JsonNode.Parse(row.RecordJson)!.AsObject();
        node["entry_hash"] = row.EntryHash;
        if (row.Chain is { } chain)
        {
            node["chain"] = chain;
        }

        return CanonicalJson.Serialize(node);
    }

    private static StoredEntry FromJsonLine(string line, int lineNumber)
    {
        try
        {
            var node = JsonNode.Parse(line) as JsonObject ?? throw new InvalidDataException("not a JSON object");
            var entryHash = node["entry_hash"]?.GetValue<string>() ?? throw new InvalidDataException("no entry_hash");
            node.Remove("entry_hash");
            var chain = node["chain"]?.GetValue<string>();
            node.Remove("chain");
            var json = CanonicalJson.Serialize(node);
            var envelope = EntryEnvelope.Read(node);
            if (envelope.Kind != EntryKinds.Decision)
            {
                return new StoredEntry(envelope.Sequence, envelope.Kind, envelope.EntryId, envelope.RecordedAt, null, envelope.Revision, null, json, envelope.PrevHash, entryHash) { Chain = chain };
            }

            var content = DecisionRecordJson.Parse(json, entryHash).Content;
            return new StoredEntry(
                envelope.Sequence,
                envelope.Kind,
                content.DecisionId,
                AuditTime.Write(content.RecordedAt),
                EnumNames.Of(content.Verdict),
                content.Revision,
                DecisionRecordJson.RuleIdsColumn(content.FiredRuleIds),
                json,
                envelope.PrevHash,
                entryHash)
            {
                Chain = chain,
            };
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or InvalidDataException or ArgumentException)
        {
            var why = ex is JsonException { BytePositionInLine: { } column }
                ? $"{JsonPosition().Replace(ex.Message, "").TrimEnd('.')} (column {column + 1})"
                : ex.Message;
            throw new InvalidDataException($"line {lineNumber}: not an exported record: {why}", ex);
        }
    }

    private static async Task<string> FhirLineAsync(StoredEntry row, RulesetIdentities rulesets, CancellationToken cancellationToken)
    {
        var record = row.ToRecord();
        return FhirAuditEventMapper.ToJson(record, await rulesets.OfAsync(record, cancellationToken).ConfigureAwait(false));
    }

    private static string CsvLine(StoredEntry row)
    {
        var record = row.ToRecord();
        return string.Join(',', [
            row.Sequence.ToString(CultureInfo.InvariantCulture),
            Csv(row.EntryId),
            Csv(row.RecordedAt),
            Csv(record.Content.Caller),
            Csv(record.Content.Revision),
            Csv(EnumNames.Of(record.Content.Verdict)),
            Csv(string.Join(' ', record.Content.FiredRuleIds)),
            Csv(row.EntryHash),
            .. row.Chain is { } chain ? (string[])[Csv(chain)] : [],
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

    /// <summary>The position System.Text.Json appends to its messages (<c> LineNumber: 0 | BytePositionInLine: 7.</c>), whose line is the JSON's, not the file's.</summary>
    [GeneratedRegex(@"\s*(Path: \S* \| )?LineNumber: \d+ \| BytePositionInLine: \d+\.?$")]
    private static partial Regex JsonPosition();
}
