namespace SafetyCheck.Audit.Storage;

/// <summary>
/// Read access to one hash chain: its committed head and its entries in sequence order. The verifier, the exporter and
/// checkpoints work on a chain, not on a database, so a store that keeps several chains (one per service instance)
/// offers one of these per chain. Implementations see committed entries only and may be read while a writer appends.
/// Thread-safe.
/// </summary>
public interface IAuditChain
{
    /// <summary>The committed head: the last sequence and its entry hash (<see cref="AuditHead.Empty"/> when empty).</summary>
    Task<AuditHead> HeadAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Up to <paramref name="count"/> entries with sequence ≥ <paramref name="fromSequence"/>, in sequence order, streamed.
    /// Rows are returned as stored (a missing sequence is simply absent), so a verifier sees gaps.
    /// </summary>
    IAsyncEnumerable<StoredEntry> ReadRangeAsync(long fromSequence, int count, CancellationToken cancellationToken = default);
}
