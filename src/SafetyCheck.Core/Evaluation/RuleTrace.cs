using System.Collections;

namespace SafetyCheck.Core.Evaluation;

/// <summary>
/// Every rule's result for one request, kept compactly: one bit per rule for "fired", and the few rules that errored
/// with their messages. As a list it reads in rule order; its entries are the revision's shared outcome values, so
/// reading the trace (for <c>explain</c>, the audit digest, replay) allocates nothing per rule.
/// </summary>
internal sealed class RuleTrace : IReadOnlyList<RuleOutcome>
{
    private readonly CompiledRules _rules;
    private readonly ulong[] _fired;
    private readonly int[] _errorIndexes;
    private readonly RuleOutcome[] _errors;

    /// <param name="rules">The revision's rules.</param>
    /// <param name="fired">Bit <c>i</c> set: rule <c>i</c> fired.</param>
    /// <param name="errorIndexes">Positions of the rules that errored, ascending.</param>
    /// <param name="errors">Their outcomes, in the same order.</param>
    public RuleTrace(CompiledRules rules, ulong[] fired, int[] errorIndexes, RuleOutcome[] errors)
    {
        _rules = rules;
        _fired = fired;
        _errorIndexes = errorIndexes;
        _errors = errors;
    }

    public int Count => _rules.Count;

    /// <summary>How many rules errored.</summary>
    public int ErrorCount => _errors.Length;

    /// <summary>The bit set of the rules that fired (read-only by convention).</summary>
    public ReadOnlySpan<ulong> FiredBits => _fired;

    public RuleOutcome this[int index]
    {
        get
        {
            ArgumentOutOfRangeException.ThrowIfNegative(index);
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Count);
            var error = Array.BinarySearch(_errorIndexes, index);
            if (error >= 0)
            {
                return _errors[error];
            }

            var rule = _rules[index];
            return IsFired(index) ? rule.Fired : rule.NotFired;
        }
    }

    /// <summary>True when rule <paramref name="index"/> fired.</summary>
    public bool IsFired(int index) => (_fired[index >> 6] & (1UL << index)) != 0;

    /// <summary>The position and outcome of the <paramref name="k"/>-th errored rule, in rule order.</summary>
    public (int Index, RuleOutcome Outcome) Error(int k) => (_errorIndexes[k], _errors[k]);

    public IEnumerator<RuleOutcome> GetEnumerator()
    {
        for (var i = 0; i < Count; i++)
        {
            yield return this[i];
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
