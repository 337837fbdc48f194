using SafetyCheck.Audit.Chain;
using SafetyCheck.Audit.Json;

namespace SafetyCheck.Audit.Tests.Support;

/// <summary>
/// A kind of entry this build does not know (<c>safetycheck.note/v1</c>), standing for those later issues add (rule-set
/// reloads, feedback): an id, a time, an optional revision and a text.
/// </summary>
internal sealed record NoteEntry(string EntryId, DateTimeOffset RecordedAt, string Text, string? Revision = null) : IAuditEntry
{
    public const string NoteKind = "note";

    public string Kind => NoteKind;

    public string? Verdict => null;

    public string? RuleIds => null;

    public void WriteRecord(CanonicalJsonWriter writer, long sequence, string prevHash)
    {
        writer.WriteStartObject();
        writer.WriteString("entry_id", EntryId);
        writer.WriteString("prev_hash", prevHash);
        writer.WritePropertyName("recorded_at");
        writer.WriteTimeValue(RecordedAt);
        if (Revision is not null)
        {
            writer.WriteString("revision", Revision);
        }

        writer.WriteString("schema", EntryEnvelope.Schema(NoteKind, 1));
        writer.WriteNumber("sequence", sequence);
        writer.WriteString("text", Text);
        writer.WriteEndObject();
    }
}
