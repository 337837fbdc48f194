using SafetyCheck.Audit.Chain;
using SafetyCheck.Core.Evaluation;
using SafetyCheck.Core.Rules;

namespace SafetyCheck.Audit;

/// <summary>
/// The recorder of the verbs that run without the service (<c>eval</c>): nothing is recorded and responses carry no
/// receipt. <c>eval</c> is the rule author's tool for trying requests; the audit trail holds what the service answered.
/// </summary>
internal sealed class UnrecordedDecisions : IDecisionRecorder
{
    public Task<AuditReceipt?> RecordAsync(
        RuleSet ruleSet,
        Assessment assessment,
        string decisionId,
        string? caller,
        DateTimeOffset recordedAt,
        CancellationToken cancellationToken) => Task.FromResult<AuditReceipt?>(null);
}
