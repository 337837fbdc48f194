using SafetyCheck.Core.Rules;

namespace SafetyCheck.Core.Audit;

/// <summary>
/// An append-only, hash-chained store of decision records with an archive of rule revisions. The store owns the chain:
/// it assigns each record's sequence and <c>prev_hash</c> and computes its <c>entry_hash</c> under a single writer.
/// Implemented for SQLite (<see cref="SqliteAuditStore"/>); a shared PostgreSQL store can implement it for several
/// service instances. Thread-safe.
/// </summary>
public interface IAuditStore : IAuditReader, IAsyncDisposable
{
    /// <summary>
    /// Appends a record and completes only once it is durable (committed and synced). Never returns a receipt for a
    /// record that is not durable. A cancelled call may still have been committed.
    /// </summary>
    /// <exception cref="AuditStoreUnavailableException">The record could not be made durable, or the store is closed.</exception>
    /// <exception cref="InvalidOperationException">The decision id is already recorded, or the draft's revision was never archived.</exception>
    Task<AuditReceipt> AppendAsync(DecisionRecordDraft draft, CancellationToken cancellationToken = default);

    /// <summary>Archives every file of <paramref name="ruleSet"/> under its revision hash; a revision already archived is left as it is.</summary>
    /// <exception cref="ArgumentException">The files do not hash to the rule set's revision.</exception>
    /// <exception cref="AuditStoreUnavailableException">The archive could not be made durable, or the store is closed.</exception>
    Task ArchiveRevisionAsync(RuleSet ruleSet, CancellationToken cancellationToken = default);
}
