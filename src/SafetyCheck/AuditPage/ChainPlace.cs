namespace SafetyCheck.AuditPage;

/// <summary>Where a record sits in its chain.</summary>
/// <param name="Chain">The chain's id in a store of several chains; null in a store of one.</param>
/// <param name="Sequence">Its sequence.</param>
/// <param name="HeadSize">Records in the chain now.</param>
/// <param name="PrevHash">The previous record's entry hash (64 zeros for the first).</param>
/// <param name="EntryHash">Its own entry hash: the receipt the caller got.</param>
/// <param name="Intact">True when the stored record still hashes to its entry hash.</param>
/// <param name="Previous">The entry just before it in the chain, whatever its kind; null for the first (or when it is missing).</param>
/// <param name="Next">The entry just after it; null for the head (or when it is missing).</param>
/// <param name="Problems">
/// What <see cref="Audit.Verification.EntryIntegrity"/> finds wrong with it, one sentence each, as <c>audit show</c> says
/// them: a record that no longer hashes to its entry hash, a link to the entry before or after it that does not hold;
/// empty when its hash and both links hold.
/// </param>
public sealed record ChainPlace(
    string? Chain,
    long Sequence,
    long HeadSize,
    string PrevHash,
    string EntryHash,
    bool Intact,
    ChainNeighbour? Previous,
    ChainNeighbour? Next,
    IReadOnlyList<string> Problems)
{
    /// <summary>True when its hash and both links hold.</summary>
    public bool Holds => Problems.Count == 0;
}
