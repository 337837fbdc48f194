namespace SafetyCheck.Audit.Storage;

/// <summary>
/// One entry of a chain exactly as a store holds it: the canonical record JSON, its hashes, and the index columns that
/// look-ups and list filters use (outside the hash, so a verifier checks them against the JSON). Decisions are one
/// kind of entry; other kinds (rule-set reloads, feedback) have no verdict or rule ids.
/// </summary>
/// <param name="Sequence">1-based position in the chain.</param>
/// <param name="Kind">What the entry records: <see cref="EntryKinds.Decision"/>, or another kind named by its schema.</param>
/// <param name="EntryId">The entry's id, unique in the store; a decision's id for decisions (index column).</param>
/// <param name="RecordedAt">When it was recorded, in the audit's RFC 3339 form (index column).</param>
/// <param name="Verdict">Verdict contract name, e.g. <c>NOT_SUITABLE</c>; null for entries that are not decisions (index column).</param>
/// <param name="Revision">The rule revision the entry concerns; null when none (index column).</param>
/// <param name="RuleIds">Canonical JSON array of the rules that produced a precaution or benefit note; null for entries that are not decisions (index column).</param>
/// <param name="RecordJson">Canonical JSON of the record; its SHA-256 is <paramref name="EntryHash"/>.</param>
/// <param name="PrevHash">Entry hash of the previous entry; 64 zeros for the first.</param>
/// <param name="EntryHash">Lowercase hex SHA-256 of the UTF-8 of <paramref name="RecordJson"/>.</param>
public sealed record StoredEntry(
    long Sequence,
    string Kind,
    string EntryId,
    string RecordedAt,
    string? Verdict,
    string? Revision,
    string? RuleIds,
    string RecordJson,
    string PrevHash,
    string EntryHash)
{
    /// <summary>
    /// The chain the entry belongs to in a store that keeps one chain per service instance (outside the hash, like the
    /// index columns: the chain is attested by its links and its checkpoints); null in a store of one chain.
    /// </summary>
    public string? Chain { get; init; }
}
