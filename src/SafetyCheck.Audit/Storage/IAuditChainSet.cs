namespace SafetyCheck.Audit.Storage;

/// <summary>
/// Every chain a store holds, for auditors: a single-instance store (SQLite) holds one, a database shared by several
/// service instances (PostgreSQL) one per instance. Verification, checkpoints and exports run per chain. Thread-safe.
/// </summary>
public interface IAuditChainSet
{
    /// <summary>
    /// The ids of the chains, in ordinal order. A single-instance store has one chain, whose id is the empty string
    /// (its entries have no <see cref="StoredEntry.Chain"/>).
    /// </summary>
    /// <exception cref="AuditStoreUnavailableException">The store cannot be read.</exception>
    Task<IReadOnlyList<string>> ListChainsAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// A reader whose head and ranges are those of the chain <paramref name="chainId"/> (look-ups by id, lists and the
    /// archive stay store-wide).
    /// </summary>
    IAuditReader Chain(string chainId);
}
