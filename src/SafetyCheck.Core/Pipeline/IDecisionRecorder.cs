using SafetyCheck.Core.Evaluation;
using SafetyCheck.Core.Rules;

namespace SafetyCheck.Core.Pipeline;

/// <summary>
/// Port: records each decision before it is returned (design principle 3: no verdict without its record). The
/// service's implementation appends to the audit chain; <c>eval</c>'s records nothing (<see cref="NonRecordingRecorder"/>).
/// </summary>
public interface IDecisionRecorder
{
    /// <summary>
    /// Records <paramref name="assessment"/>, made on <paramref name="ruleSet"/>, and completes once the record is durable.
    /// Returns its receipt, or null when this recorder keeps no trail.
    /// </summary>
    /// <param name="ruleSet">The rule set that decided; archived by its revision before the first record that names it.</param>
    /// <param name="assessment">What was decided.</param>
    /// <param name="decisionId">The decision's UUIDv7.</param>
    /// <param name="caller">Who asked.</param>
    /// <param name="decidedAt">Server time of the decision.</param>
    /// <param name="cancellationToken">The call's token; a cancelled record may still have been committed.</param>
    /// <exception cref="DecisionNotRecordedException">The record could not be made durable: there is no verdict to return.</exception>
    ValueTask<DecisionReceipt?> RecordAsync(
        RuleSet ruleSet,
        Assessment assessment,
        string decisionId,
        Caller caller,
        DateTimeOffset decidedAt,
        CancellationToken cancellationToken);
}
