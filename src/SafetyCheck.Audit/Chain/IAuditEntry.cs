using SafetyCheck.Audit.Json;

namespace SafetyCheck.Audit.Chain;

/// <summary>
/// Something to append to the chain: a decision (<c>Records.DecisionRecordDraft</c>) or another kind of entry. The
/// writer places it (sequence, previous hash), asks it for its record, hashes the record and stores it with the index
/// columns named here. Immutable once handed to the writer.
/// </summary>
public interface IAuditEntry
{
    /// <summary>The entry's kind (<see cref="Storage.EntryKinds"/>), also named in its record's schema tag.</summary>
    string Kind { get; }

    /// <summary>The entry's id, unique in the store (a decision's UUIDv7 for decisions).</summary>
    string EntryId { get; }

    /// <summary>When the entry was made (server clock, UTC).</summary>
    DateTimeOffset RecordedAt { get; }

    /// <summary>The rule revision the entry concerns, which must be archived before the entry is appended; null for none.</summary>
    string? Revision { get; }

    /// <summary>Index column: the verdict's contract name; null for entries that are not decisions.</summary>
    string? Verdict { get; }

    /// <summary>Index column: canonical JSON array of the rule ids a list filter matches; null for entries that are not decisions.</summary>
    string? RuleIds { get; }

    /// <summary>
    /// Writes the record: one canonical JSON object whose members include <c>schema</c>
    /// (<c>safetycheck.&lt;kind&gt;/v&lt;n&gt;</c>), <c>sequence</c> = <paramref name="sequence"/>, <c>prev_hash</c> =
    /// <paramref name="prevHash"/>, <c>recorded_at</c>, the id (<c>decision_id</c> for decisions, else <c>entry_id</c>) and
    /// <c>revision</c> when <see cref="Revision"/> is set (<see cref="EntryEnvelope"/>), so that none of them can change
    /// without changing the entry hash.
    /// </summary>
    /// <exception cref="ArgumentException">A value has no canonical form (a lone surrogate, an integer beyond 2^53).</exception>
    void WriteRecord(CanonicalJsonWriter writer, long sequence, string prevHash);
}
