using SafetyCheck.Core.Validation;

namespace SafetyCheck.Core.Pipeline;

/// <summary>The request was invalid: nothing was decided or recorded (gRPC INVALID_ARGUMENT, <c>eval</c> exit 2).</summary>
/// <param name="Violations">Every field violation found, at least one, in field order; fields use the contract's names.</param>
public sealed record Rejected(IReadOnlyList<FieldViolation> Violations) : DecisionOutcome
{
    public override TResult Match<TResult>(Func<Decided, TResult> decided, Func<Rejected, TResult> rejected, Func<Unavailable, TResult> unavailable)
    {
        ArgumentNullException.ThrowIfNull(rejected);
        return rejected(this);
    }
}
