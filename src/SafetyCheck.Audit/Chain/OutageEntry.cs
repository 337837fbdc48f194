using SafetyCheck.Audit.Json;
using SafetyCheck.Audit.Storage;

namespace SafetyCheck.Audit.Chain;

/// <summary>
/// The chain entry that closes an outage of the store (<c>safetycheck.outage/v1</c>): the envelope (with
/// <c>recorded_at</c> = when the store accepted a write again), <c>failed_since</c> (when writes began to fail) and
/// <c>failed_writes</c> (how many failed or stalled; each refused decision is one). Its decisions were never answered,
/// so they are not in the chain; this entry says that the gap exists and how large it was.
/// </summary>
/// <param name="EntryId">A UUIDv7, unique in the store.</param>
/// <param name="Outage">The outage it closes.</param>
public sealed record OutageEntry(string EntryId, AuditOutage Outage) : IAuditEntry
{
    /// <summary>The schema version written.</summary>
    public const int SchemaVersion = 1;

    public string Kind => EntryKinds.Outage;

    public DateTimeOffset RecordedAt => Outage.Until;

    public string? Revision => null;

    public string? Verdict => null;

    public string? RuleIds => null;

    public void WriteRecord(CanonicalJsonWriter writer, long sequence, string prevHash)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStartObject();
        writer.WriteString("entry_id", EntryId);
        writer.WritePropertyName("failed_since");
        writer.WriteTimeValue(Outage.Since);
        writer.WriteNumber("failed_writes", Outage.FailedWrites);
        writer.WriteString("prev_hash", prevHash);
        writer.WritePropertyName("recorded_at");
        writer.WriteTimeValue(Outage.Until);
        writer.WriteString("schema", EntryEnvelope.Schema(EntryKinds.Outage, SchemaVersion));
        writer.WriteNumber("sequence", sequence);
        writer.WriteEndObject();
    }
}
