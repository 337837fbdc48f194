using System.Collections.Frozen;
using SafetyCheck.Core.Facts;

namespace SafetyCheck.Core.Evaluation;

/// <summary>
/// Which rules a request needs evaluated: the rules with no condition requirement (they read facts), and the rules
/// indexed under a condition id the child has (in any status). Every other rule cannot be true for the child
/// (<see cref="ConditionRequirement"/>) and is reported "not fired" without running. Candidates are a bit set over rule
/// positions, one bit per rule; building it allocates nothing.
/// </summary>
internal sealed class RuleIndex
{
    private readonly ulong[] _always;
    private readonly FrozenDictionary<string, int[]> _byCondition;

    public RuleIndex(IReadOnlyList<CompiledRule> rules)
    {
        Words = WordsFor(rules.Count);
        _always = new ulong[Words];
        var byCondition = new Dictionary<string, List<int>>(StringComparer.Ordinal);
        foreach (var rule in rules)
        {
            if (rule.RequiredConditions is not { } required)
            {
                _always[rule.Index >> 6] |= 1UL << rule.Index;
                AlwaysEvaluated++;
                continue;
            }

            foreach (var id in required)
            {
                if (!byCondition.TryGetValue(id, out var list))
                {
                    byCondition[id] = list = [];
                }

                list.Add(rule.Index);
            }
        }

        _byCondition = byCondition.ToFrozenDictionary(kv => kv.Key, kv => kv.Value.ToArray(), StringComparer.Ordinal);
        All = new ulong[Words];
        for (var i = 0; i < rules.Count; i++)
        {
            All[i >> 6] |= 1UL << i;
        }
    }

    /// <summary>Number of 64-bit words in a bit set over the rules.</summary>
    public int Words { get; }

    /// <summary>How many rules read facts and are evaluated for every request.</summary>
    public int AlwaysEvaluated { get; }

    /// <summary>The bit set of every rule (the index switched off).</summary>
    public ulong[] All { get; }

    /// <summary>Words needed for a bit set over <paramref name="count"/> rules.</summary>
    public static int WordsFor(int count) => (count + 63) >> 6;

    /// <summary>Writes the rules <paramref name="facts"/> needs evaluated into <paramref name="candidates"/> (<see cref="Words"/> long).</summary>
    public void Candidates(ChildFacts facts, Span<ulong> candidates)
    {
        _always.CopyTo(candidates);
        foreach (var condition in facts.ConditionSpan)
        {
            if (_byCondition.TryGetValue(condition.Id, out var rules))
            {
                foreach (var index in rules)
                {
                    candidates[index >> 6] |= 1UL << index;
                }
            }
        }
    }
}
