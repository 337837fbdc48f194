namespace SafetyCheck.Core.Pipeline;

/// <summary>Proof that a decision's record is durable, returned with the verdict.</summary>
/// <param name="Sequence">1-based sequence of the record in its audit chain.</param>
/// <param name="EntryHash">Lowercase hex SHA-256 entry hash of the record.</param>
public sealed record DecisionReceipt(ulong Sequence, string EntryHash);
