using SafetyCheck.Audit.Chain;
using SafetyCheck.Audit.Storage;

namespace SafetyCheck.Audit.Records;

/// <summary>
/// A decision record as placed in the chain: its <see cref="Content"/> plus the 1-based sequence, the previous
/// entry's hash (64 zeros for the first) and its own entry hash, the lowercase hex SHA-256 of the canonical record JSON
/// with the sequence and previous hash bound in. Records of schema v1 read back with the same content (their results
/// digest computed from what they hold) and keep the rest in <see cref="Legacy"/>.
/// </summary>
/// <param name="Sequence">1-based position in the chain; contiguous.</param>
/// <param name="PrevHash">Entry hash of entry <c>Sequence − 1</c>; <see cref="AuditHead.GenesisHash"/> for the first.</param>
/// <param name="EntryHash">Lowercase hex SHA-256 of the canonical record JSON.</param>
/// <param name="Content">What was decided.</param>
public sealed record DecisionRecord(long Sequence, string PrevHash, string EntryHash, DecisionRecordDraft Content)
{
    /// <summary>The record's schema version: 2, or 1 for records written before the compact record.</summary>
    public int SchemaVersion => Legacy is null ? 2 : 1;

    /// <summary>What a v1 record holds beyond a v2 one: the rule set's name and version, and the full result; null for v2.</summary>
    public LegacyDecisionDetail? Legacy { get; init; }

    /// <summary>The receipt returned to the caller for this record.</summary>
    public AuditReceipt Receipt => new((ulong)Sequence, EntryHash);
}
