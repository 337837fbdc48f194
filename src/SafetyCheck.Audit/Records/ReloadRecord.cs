using System.Text.Json.Nodes;
using SafetyCheck.Audit.Chain;
using SafetyCheck.Audit.Json;
using SafetyCheck.Audit.Storage;

namespace SafetyCheck.Audit.Records;

/// <summary>
/// A reload of the rule set, served or refused (<c>safetycheck.reload/v1</c>): the envelope (its <c>revision</c> is the
/// revision serving once the attempt ended, archived before the entry is appended; left out while none serves), the
/// <c>candidate_revision</c> that was tried (the hash of the files read, whether or not they loaded), the
/// <c>previous_revision</c> served before (left out when none was), the <c>trigger</c> (<c>file_watch</c> or
/// <c>caller</c>) and the <c>caller</c> who asked (left out for a file watch), the <c>outcome</c> (<c>served</c>,
/// <c>refused</c> or <c>unchanged</c>), <c>cases_run</c> and <c>cases_failed</c>, and up to
/// <see cref="MaxDiagnostics"/> of the <c>diagnostics</c> that refused it (<c>file:line:col: error: message</c>; left out
/// when none) with their full count in <c>diagnostic_count</c>. Members at their default are still written, except the
/// three optional ones named, so that one content has one record.
/// </summary>
/// <param name="EntryId">A UUIDv7, unique in the store.</param>
/// <param name="RecordedAt">When the attempt ended (server clock, UTC).</param>
/// <param name="Revision">The revision serving after the attempt; null while none serves.</param>
/// <param name="CandidateRevision">The revision of the files tried (64 lowercase hex digits); empty when the files could not be read.</param>
/// <param name="PreviousRevision">The revision serving before the attempt; null when none was.</param>
/// <param name="Trigger"><see cref="FileWatchTrigger"/> or <see cref="CallerTrigger"/>.</param>
/// <param name="Caller">The authenticated caller that asked; null for a file watch.</param>
/// <param name="Outcome"><see cref="Served"/>, <see cref="Refused"/> or <see cref="Unchanged"/>.</param>
/// <param name="CasesRun">Rule cases run on the candidate (0 when it did not load).</param>
/// <param name="CasesFailed">Of those, how many failed (todo cases are not failures).</param>
/// <param name="DiagnosticCount">Every problem that refused the candidate.</param>
/// <param name="Diagnostics">The first <see cref="MaxDiagnostics"/> of them.</param>
public sealed record ReloadRecord(
    string EntryId,
    DateTimeOffset RecordedAt,
    string? Revision,
    string CandidateRevision,
    string? PreviousRevision,
    string Trigger,
    string? Caller,
    string Outcome,
    long CasesRun,
    long CasesFailed,
    long DiagnosticCount,
    IReadOnlyList<string> Diagnostics) : IAuditEntry
{
    /// <summary>The schema version written.</summary>
    public const int SchemaVersion = 1;

    /// <summary>Diagnostics kept in the record; the count says how many there were.</summary>
    public const int MaxDiagnostics = 20;

    /// <summary>The rule directory changed under a running service.</summary>
    public const string FileWatchTrigger = "file_watch";

    /// <summary>A caller asked (<c>ReloadRules</c>).</summary>
    public const string CallerTrigger = "caller";

    /// <summary>The candidate passed and serves.</summary>
    public const string Served = "served";

    /// <summary>The candidate failed (load, cases, archive); the revision before it still serves.</summary>
    public const string Refused = "refused";

    /// <summary>The files hash to the revision already served: nothing to do.</summary>
    public const string Unchanged = "unchanged";

    public string Kind => EntryKinds.Reload;

    string? IAuditEntry.Verdict => null;

    string? IAuditEntry.RuleIds => null;

    /// <summary>Writes the canonical record: members in code-unit order.</summary>
    public void WriteRecord(CanonicalJsonWriter writer, long sequence, string prevHash)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStartObject();
        if (Caller is not null)
        {
            writer.WriteString("caller", Caller);
        }

        writer.WriteString("candidate_revision", CandidateRevision);
        writer.WriteNumber("cases_failed", CasesFailed);
        writer.WriteNumber("cases_run", CasesRun);
        writer.WriteNumber("diagnostic_count", DiagnosticCount);
        if (Diagnostics.Count > 0)
        {
            writer.WritePropertyName("diagnostics");
            writer.WriteStartArray();
            foreach (var diagnostic in Diagnostics)
            {
                writer.WriteStringValue(diagnostic);
            }

            writer.WriteEndArray();
        }

        writer.WriteString("entry_id", EntryId);
        writer.WriteString("outcome", Outcome);
        writer.WriteString("prev_hash", prevHash);
        if (PreviousRevision is not null)
        {
            writer.WriteString("previous_revision", PreviousRevision);
        }

        writer.WritePropertyName("recorded_at");
        writer.WriteTimeValue(RecordedAt);
        if (Revision is not null)
        {
            writer.WriteString("revision", Revision);
        }

        writer.WriteString("schema", EntryEnvelope.Schema(EntryKinds.Reload, SchemaVersion));
        writer.WriteNumber("sequence", sequence);
        writer.WriteString("trigger", Trigger);
        writer.WriteEndObject();
    }

    /// <summary>Reads a reload record (any member this schema does not write makes it differ when written again).</summary>
    /// <exception cref="InvalidDataException">The schema version is not this one, or a member is missing or mistyped.</exception>
    public static ReloadRecord Read(JsonObject record)
    {
        ArgumentNullException.ThrowIfNull(record);
        var envelope = EntryEnvelope.Read(record);
        if (envelope.Kind != EntryKinds.Reload || envelope.Version != SchemaVersion)
        {
            throw new InvalidDataException($"'{EntryEnvelope.Schema(envelope.Kind, envelope.Version)}' is not {EntryEnvelope.Schema(EntryKinds.Reload, SchemaVersion)}");
        }

        try
        {
            return new ReloadRecord(
                envelope.EntryId,
                AuditTime.Read(envelope.RecordedAt),
                envelope.Revision,
                Required<string>(record, "candidate_revision"),
                record["previous_revision"]?.GetValue<string>(),
                Required<string>(record, "trigger"),
                record["caller"]?.GetValue<string>(),
                Required<string>(record, "outcome"),
                Required<long>(record, "cases_run"),
                Required<long>(record, "cases_failed"),
                Required<long>(record, "diagnostic_count"),
                record["diagnostics"] is JsonArray list ? [.. list.Select(d => d?.GetValue<string>() ?? throw new InvalidDataException("a diagnostic is null"))] : []);
        }
        catch (Exception ex) when (ex is FormatException or InvalidOperationException)
        {
            throw new InvalidDataException("a reload member is malformed: " + ex.Message, ex);
        }
    }

    /// <summary>True when <paramref name="recordJson"/> is exactly what this schema writes for the content it holds.</summary>
    /// <exception cref="InvalidDataException">It is not a reload record of this schema.</exception>
    public static bool IsAsWritten(JsonObject record, string recordJson, long sequence, string prevHash)
    {
        ArgumentNullException.ThrowIfNull(recordJson);
        using var json = new CanonicalJsonWriter();
        Read(record).WriteRecord(json, sequence, prevHash);
        return string.Equals(json.ToString(), recordJson, StringComparison.Ordinal);
    }

    private static T Required<T>(JsonObject record, string member) =>
        record[member] is { } value ? value.GetValue<T>() : throw new InvalidDataException($"member '{member}' is missing");
}
