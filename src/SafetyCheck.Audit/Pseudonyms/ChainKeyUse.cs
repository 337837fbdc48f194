namespace SafetyCheck.Audit.Pseudonyms;

/// <summary>
/// The pseudonym key a chain last recorded a patient under: the key id of its latest decision that names a patient.
/// </summary>
/// <param name="Chain">The chain's id.</param>
/// <param name="KeyId">The key id of that decision's pseudonym (<c>patient.key_id</c>).</param>
/// <param name="Sequence">That decision's sequence in its chain.</param>
/// <param name="RecordedAt">When that decision was recorded.</param>
public sealed record ChainKeyUse(string Chain, string KeyId, long Sequence, DateTimeOffset RecordedAt);
