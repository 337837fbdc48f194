using SafetyCheck.Audit.Chain;
using SafetyCheck.Audit.Storage;
using SafetyCheck.Core.Evaluation;
using SafetyCheck.Core.Rules;

namespace SafetyCheck.Audit;

/// <summary>Records each decision before it is returned (design principle 3: no verdict without its record).</summary>
internal interface IDecisionRecorder
{
    /// <summary>
    /// Records <paramref name="assessment"/>, made on <paramref name="ruleSet"/>, and completes once the record is durable.
    /// Returns its receipt, or null when this recorder keeps no trail (<c>eval</c>).
    /// </summary>
    /// <param name="ruleSet">The rule set that answered; archived by its revision before the first record that uses it.</param>
    /// <param name="assessment">What was decided.</param>
    /// <param name="decisionId">The decision's UUIDv7.</param>
    /// <param name="caller">The authenticated caller's name; null or blank for an anonymous call.</param>
    /// <param name="recordedAt">Server time of the decision.</param>
    /// <param name="cancellationToken">The call's token; a cancelled record may still have been committed.</param>
    /// <exception cref="AuditStoreUnavailableException">The record could not be made durable: answer UNAVAILABLE, no verdict.</exception>
    Task<AuditReceipt?> RecordAsync(
        RuleSet ruleSet,
        Assessment assessment,
        string decisionId,
        string? caller,
        DateTimeOffset recordedAt,
        CancellationToken cancellationToken);
}
