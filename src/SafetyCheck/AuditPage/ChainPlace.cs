namespace SafetyCheck.AuditPage;

/// <summary>Where a record sits in its chain.</summary>
/// <param name="Chain">The chain's id in a store of several chains; null in a store of one.</param>
/// <param name="Sequence">Its sequence.</param>
/// <param name="HeadSize">Records in the chain now.</param>
/// <param name="PrevHash">The previous record's entry hash (64 zeros for the first).</param>
/// <param name="EntryHash">Its own entry hash: the receipt the caller got.</param>
/// <param name="Intact">True when the stored record still hashes to its entry hash.</param>
/// <param name="PreviousDecisionId">The decision just before it in the chain, when that entry is a decision.</param>
/// <param name="NextDecisionId">The decision just after it, when that entry is a decision.</param>
public sealed record ChainPlace(
    string? Chain,
    long Sequence,
    long HeadSize,
    string PrevHash,
    string EntryHash,
    bool Intact,
    string? PreviousDecisionId,
    string? NextDecisionId);
