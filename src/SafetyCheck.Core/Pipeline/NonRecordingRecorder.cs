using SafetyCheck.Core.Evaluation;
using SafetyCheck.Core.Rules;

namespace SafetyCheck.Core.Pipeline;

/// <summary>
/// The recorder of the verbs that run without the service (<c>eval</c>): nothing is recorded and decisions carry no
/// receipt. <c>eval</c> is the rule author's tool for trying requests; the audit trail holds what the service answered.
/// </summary>
public sealed class NonRecordingRecorder : IDecisionRecorder
{
    public ValueTask<DecisionReceipt?> RecordAsync(
        RuleSet ruleSet,
        Assessment assessment,
        string decisionId,
        Caller caller,
        DateTimeOffset decidedAt,
        CancellationToken cancellationToken) => ValueTask.FromResult<DecisionReceipt?>(null);
}
