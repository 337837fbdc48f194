namespace SafetyCheck.Audit.Chain;

/// <summary>
/// Proof that a decision's record is durable: its sequence in the chain and its entry hash. Returned to the caller
/// with the verdict; a caller that keeps receipts can later show that a record was present and unchanged.
/// </summary>
/// <param name="Sequence">1-based sequence of the record.</param>
/// <param name="EntryHash">Lowercase hex SHA-256 entry hash of the record.</param>
public sealed record AuditReceipt(ulong Sequence, string EntryHash);
