using SafetyCheck.Audit.Chain;
using SafetyCheck.Audit.Json;
using SafetyCheck.Audit.Storage;

namespace SafetyCheck.Audit.Tests.Support;

/// <summary>A decision as far as the key look-up reads one: its kind, and the patient's key id when it names a patient.</summary>
internal sealed record PatientDecision(string EntryId, DateTimeOffset RecordedAt, string? KeyId) : IAuditEntry
{
    public string Kind => EntryKinds.Decision;

    public string? Revision => null;

    public string? Verdict => "SUITABLE";

    public string? RuleIds => "[]";

    public void WriteRecord(CanonicalJsonWriter writer, long sequence, string prevHash)
    {
        writer.WriteStartObject();
        writer.WriteString("decision_id", EntryId);
        if (KeyId is not null)
        {
            writer.WritePropertyName("patient");
            writer.WriteStartObject();
            writer.WriteString("key_id", KeyId);
            writer.WriteString("pseudonym", "0123abcd");
            writer.WriteEndObject();
        }

        writer.WriteString("prev_hash", prevHash);
        writer.WritePropertyName("recorded_at");
        writer.WriteTimeValue(RecordedAt);
        writer.WriteString("schema", EntryEnvelope.Schema(EntryKinds.Decision, 2));
        writer.WriteNumber("sequence", sequence);
        writer.WriteEndObject();
    }
}
