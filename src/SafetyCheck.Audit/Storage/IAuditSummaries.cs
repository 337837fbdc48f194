using SafetyCheck.Core.Rules;

namespace SafetyCheck.Audit.Storage;

/// <summary>
/// Counts over a store's decisions, computed by the store (one aggregate query each, over its index columns), for
/// people who look at a trail rather than page through it: the auditor's page draws verdicts per day and each rule's
/// firings per revision from these. Implemented by the SQLite and PostgreSQL stores and readers; across every chain of
/// a store. <see cref="Summaries.SummaryCache"/> gives the same answers from counts it keeps, reading only what was
/// appended since its last call (the page reads through it). Thread-safe.
/// </summary>
public interface IAuditSummaries
{
    /// <summary>
    /// Every archived revision with how many decisions it made and when it made its first and last, oldest first use
    /// first. Counting reads an index entry per decision: for a list, use <see cref="ListArchivedRevisionsAsync"/>.
    /// </summary>
    /// <exception cref="AuditStoreUnavailableException">The store cannot be read.</exception>
    Task<IReadOnlyList<RevisionUse>> ListRevisionUsesAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Every archived revision, in the order of their first entries (revisions without any last), without counting:
    /// one index lookup per revision, whatever the size of the trail.
    /// </summary>
    /// <exception cref="AuditStoreUnavailableException">The store cannot be read.</exception>
    Task<IReadOnlyList<RulesetIdentity>> ListArchivedRevisionsAsync(CancellationToken cancellationToken = default);

    /// <summary>Decisions recorded in [<paramref name="from"/>, <paramref name="to"/>) per UTC calendar day and verdict.</summary>
    /// <exception cref="AuditStoreUnavailableException">The store cannot be read.</exception>
    Task<IReadOnlyList<VerdictCount>> CountVerdictsPerDayAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default);

    /// <summary>
    /// Decisions recorded in [<paramref name="from"/>, <paramref name="to"/>) per revision, and per revision and rule the
    /// decisions in which the rule produced a precaution or a benefit note.
    /// </summary>
    /// <exception cref="AuditStoreUnavailableException">The store cannot be read.</exception>
    Task<RuleFirings> CountRuleFiringsAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default);
}
