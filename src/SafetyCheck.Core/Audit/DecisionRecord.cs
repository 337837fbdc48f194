namespace SafetyCheck.Core.Audit;

/// <summary>
/// A decision record as placed in the chain: its <see cref="Content"/> plus the 1-based sequence, the previous
/// record's entry hash (64 zeros for the first) and its own entry hash, the lowercase hex SHA-256 of the canonical
/// JSON of the content with the sequence and previous hash bound in.
/// </summary>
/// <param name="Sequence">1-based position in the chain; contiguous.</param>
/// <param name="PrevHash">Entry hash of record <c>Sequence − 1</c>; <see cref="AuditHead.GenesisHash"/> for the first.</param>
/// <param name="EntryHash">Lowercase hex SHA-256 of the canonical record JSON.</param>
/// <param name="Content">What was decided.</param>
public sealed record DecisionRecord(long Sequence, string PrevHash, string EntryHash, DecisionRecordDraft Content)
{
    /// <summary>The receipt returned to the caller for this record.</summary>
    public AuditReceipt Receipt => new((ulong)Sequence, EntryHash);
}
