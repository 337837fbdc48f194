namespace SafetyCheck.Audit.Storage;

/// <summary>
/// A store whose counts can be kept up to date by position: every chain's committed head, and the index columns of the
/// decisions between two positions of a chain. Entries never change once committed and a chain commits in sequence
/// order, so what lies at or before a head read earlier is final: <see cref="Summaries.SummaryCache"/> counts each
/// decision once and afterwards reads only what was appended. Implemented by the SQLite and PostgreSQL stores and
/// readers. Thread-safe.
/// </summary>
public interface IAuditSummarySource : IAuditSummaries
{
    /// <summary>
    /// The last committed sequence of every chain (0 for a chain without entries), by chain id (the empty string for a
    /// single-chain store, as in <see cref="IAuditChainSet"/>).
    /// </summary>
    /// <exception cref="AuditStoreUnavailableException">The store cannot be read.</exception>
    Task<IReadOnlyDictionary<string, long>> ReadChainHeadsAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// The decisions of chain <paramref name="chainId"/> with <paramref name="afterSequence"/> &lt; sequence ≤
    /// <paramref name="throughSequence"/>, in sequence order, streamed (entries of other kinds are left out). Reads the
    /// index columns, not the records.
    /// </summary>
    /// <exception cref="AuditStoreUnavailableException">The store cannot be read.</exception>
    IAsyncEnumerable<DecisionSummary> ReadDecisionSummariesAsync(string chainId, long afterSequence, long throughSequence, CancellationToken cancellationToken = default);
}
