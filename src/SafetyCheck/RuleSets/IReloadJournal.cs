using SafetyCheck.Core.Pipeline;
using SafetyCheck.Core.Rules;

namespace SafetyCheck.RuleSets;

/// <summary>
/// Port: where reloads are archived and recorded (the audit trail, <c>Audit/AuditReloadJournal</c>). A revision is
/// archived before it serves, so every decision it makes can be replayed; each reload is recorded as its own entry.
/// </summary>
internal interface IReloadJournal
{
    /// <summary>Archives <paramref name="ruleSet"/>'s files under its revision (once; later calls return at once).</summary>
    /// <exception cref="ReloadNotRecordedException">The archive could not be made durable.</exception>
    Task ArchiveAsync(RuleSet ruleSet, CancellationToken cancellationToken);

    /// <summary>Records <paramref name="report"/>; <paramref name="serving"/> is the rule set serving once it ended (archived first), null while none does.</summary>
    /// <exception cref="ReloadNotRecordedException">The entry could not be made durable.</exception>
    Task<DecisionReceipt> RecordAsync(ReloadReport report, RuleSet? serving, CancellationToken cancellationToken);

    /// <summary>
    /// The problems that refused <paramref name="revision"/> for what its files say (a load error, a failing case, the
    /// review) when this instance's latest reload (on its own chain) refused it, or the latest reload of that revision on
    /// any chain did; null otherwise. A refusal only because the trail could not archive it or record the reload does
    /// not count.
    /// </summary>
    /// <exception cref="ReloadNotRecordedException">The trail could not be read.</exception>
    Task<IReadOnlyList<Diagnostic>?> RefusalOfAsync(string revision, CancellationToken cancellationToken);
}
