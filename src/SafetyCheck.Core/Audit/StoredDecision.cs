namespace SafetyCheck.Core.Audit;

/// <summary>
/// One stored row, exactly as the store holds it: the canonical record JSON, the hashes, and the index columns that
/// list filters use (which a verifier checks against the JSON, since they are outside the hash).
/// </summary>
/// <param name="Sequence">1-based sequence.</param>
/// <param name="DecisionId">Decision id (index column).</param>
/// <param name="RecordedAt">Recorded time in the audit's RFC 3339 form (index column).</param>
/// <param name="Verdict">Verdict contract name, e.g. <c>NOT_SUITABLE</c> (index column).</param>
/// <param name="Revision">Rule revision (index column).</param>
/// <param name="RuleIds">JSON array of the fired rule ids (index column).</param>
/// <param name="RecordJson">Canonical JSON of the record; its SHA-256 is <paramref name="EntryHash"/>.</param>
/// <param name="PrevHash">Entry hash of the previous record.</param>
/// <param name="EntryHash">Lowercase hex SHA-256 of <paramref name="RecordJson"/>.</param>
public sealed record StoredDecision(
    long Sequence,
    string DecisionId,
    string RecordedAt,
    string Verdict,
    string Revision,
    string RuleIds,
    string RecordJson,
    string PrevHash,
    string EntryHash)
{
    /// <summary>The record parsed from <see cref="RecordJson"/>.</summary>
    /// <exception cref="InvalidDataException">The JSON is not a decision record.</exception>
    public DecisionRecord ToRecord()
    {
        var (sequence, prevHash, content) = DecisionRecordJson.Parse(RecordJson);
        return new DecisionRecord(sequence, prevHash, EntryHash, content);
    }
}
