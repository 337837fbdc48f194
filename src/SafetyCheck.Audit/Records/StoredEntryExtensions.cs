using SafetyCheck.Audit.Storage;

namespace SafetyCheck.Audit.Records;

/// <summary>Reading decision records out of stored entries.</summary>
public static class StoredEntryExtensions
{
    /// <summary>The decision record in <paramref name="entry"/> (schema v1 or v2).</summary>
    /// <exception cref="InvalidDataException">The entry is not a decision, or its JSON is not a decision record.</exception>
    public static DecisionRecord ToRecord(this StoredEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        if (!string.Equals(entry.Kind, EntryKinds.Decision, StringComparison.Ordinal))
        {
            throw new InvalidDataException($"entry {entry.Sequence} is a {entry.Kind} entry, not a decision record");
        }

        return DecisionRecordJson.Parse(entry.RecordJson, entry.EntryHash);
    }
}
