using SafetyCheck.Core.Requests;
using SafetyCheck.Core.Rules;

namespace SafetyCheck.Core.Evaluation;

/// <summary>
/// Validates a request and evaluates one rule revision over it. One instance per rule revision: the compiled engine
/// is built and warmed at construction and never mutated. Thread-safe.
/// </summary>
public sealed class SafetyChecker
{
    /// <summary>Compiles and warms the engine for <paramref name="ruleSet"/>.</summary>
    public SafetyChecker(RuleSet ruleSet, TimeProvider clock)
    {
        RuleSet = ruleSet;
        _ = clock;
    }

    /// <summary>The revision this checker evaluates.</summary>
    public RuleSet RuleSet { get; }

    /// <summary>Validates and evaluates; field violations for a bad request, an assessment otherwise.</summary>
    public CheckOutcome Check(UnvalidatedRequest request, CancellationToken cancellationToken = default) =>
        throw new NotImplementedException("in progress");
}
