using SafetyCheck.Core.Rules;

namespace SafetyCheck.Core.Audit;

/// <summary>
/// What auditors read from a decision store. Implementations read committed records only and may be used while a
/// writer appends (each call sees a consistent snapshot). Thread-safe.
/// </summary>
public interface IAuditReader
{
    /// <summary>The record of <paramref name="decisionId"/>, or null when the store has none.</summary>
    Task<StoredDecision?> GetAsync(string decisionId, CancellationToken cancellationToken = default);

    /// <summary>One page of records matching <paramref name="filter"/>, in sequence order.</summary>
    /// <exception cref="ArgumentException">The page size is out of range or the page token is not one this store issued.</exception>
    Task<DecisionPage> ListAsync(DecisionFilter filter, CancellationToken cancellationToken = default);

    /// <summary>
    /// Up to <paramref name="count"/> records with sequence ≥ <paramref name="fromSequence"/>, in sequence order, streamed.
    /// Rows are returned as stored (a missing sequence is simply absent), so a verifier sees gaps.
    /// </summary>
    IAsyncEnumerable<StoredDecision> ReadRangeAsync(long fromSequence, int count, CancellationToken cancellationToken = default);

    /// <summary>The archived files of <paramref name="revision"/> in ordinal path order, or null when it was never archived.</summary>
    Task<IReadOnlyList<RuleSetFile>?> GetRevisionFilesAsync(string revision, CancellationToken cancellationToken = default);

    /// <summary>The committed head: the last sequence and its entry hash (<see cref="AuditHead.Empty"/> when empty).</summary>
    Task<AuditHead> HeadAsync(CancellationToken cancellationToken = default);
}
