using SafetyCheck.Core.Evaluation;

namespace SafetyCheck.Core.Pipeline;

/// <summary>The request was valid and decided; the decision was recorded before this was returned.</summary>
/// <param name="Assessment">The verdict, precautions, facts and the rule revision that decided it.</param>
/// <param name="DecisionId">UUIDv7 of the decision (lowercase canonical form).</param>
/// <param name="EvaluatedAt">Server time of the decision, from the injected clock.</param>
/// <param name="Receipt">The audit receipt; null when the recorder keeps no trail (<c>eval</c>).</param>
public sealed record Decided(Assessment Assessment, string DecisionId, DateTimeOffset EvaluatedAt, DecisionReceipt? Receipt) : DecisionOutcome
{
    public override TResult Match<TResult>(Func<Decided, TResult> decided, Func<Rejected, TResult> rejected, Func<Unavailable, TResult> unavailable)
    {
        ArgumentNullException.ThrowIfNull(decided);
        return decided(this);
    }
}
