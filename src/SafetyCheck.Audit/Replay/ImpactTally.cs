using SafetyCheck.Audit.Records;

namespace SafetyCheck.Audit.Replay;

/// <summary>
/// What a candidate rule set would change in recorded decisions, added up one comparison at a time
/// (<see cref="DecisionReplayer.CompareAsync(DecisionRecord, Core.Evaluation.SafetyChecker, CancellationToken)"/>): how
/// many verdicts change and which way (from → to), how many decisions change in something else only (a precaution, its
/// details, a benefit note), and the rules responsible — those whose result (fired, not fired, errored, absent) differs —
/// each with example decision ids. Not thread-safe: one caller adds.
/// </summary>
/// <param name="examples">Decision ids kept per verdict change and per rule (1–100).</param>
public sealed class ImpactTally(int examples = 3)
{
    private const string VerdictField = "verdict";
    private const string RulesField = "rules[";
    private const string NotFired = "not_fired";

    private readonly int _examples = examples is >= 1 and <= 100 ? examples : throw new ArgumentOutOfRangeException(nameof(examples), examples, "Keep 1 to 100 examples.");
    private readonly Dictionary<(string From, string To), Group> _verdicts = [];
    private readonly Dictionary<string, RuleGroup> _rules = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _revisions = new(StringComparer.Ordinal);

    /// <summary>Decisions compared.</summary>
    public long Decisions { get; private set; }

    /// <summary>Decisions whose verdict would change.</summary>
    public long VerdictChanged { get; private set; }

    /// <summary>Decisions whose verdict would stay but something else would change.</summary>
    public long OtherChanged { get; private set; }

    /// <summary>Entries that could not be read as decision records (run <c>audit verify</c>).</summary>
    public long Unreadable { get; private set; }

    /// <summary>Decisions the candidate would decide exactly as recorded.</summary>
    public long Unchanged => Decisions - VerdictChanged - OtherChanged;

    /// <summary>Every verdict change, most frequent first, then by from and to.</summary>
    public IReadOnlyList<VerdictChange> VerdictChanges =>
        [.. _verdicts.OrderByDescending(kv => kv.Value.Count).ThenBy(kv => kv.Key.From, StringComparer.Ordinal).ThenBy(kv => kv.Key.To, StringComparer.Ordinal)
            .Select(kv => new VerdictChange(kv.Key.From, kv.Key.To, kv.Value.Count, [.. kv.Value.Examples]))];

    /// <summary>Every rule whose result differs in some decision, most decisions first, then by id.</summary>
    public IReadOnlyList<RuleChange> RuleChanges =>
        [.. _rules.OrderByDescending(kv => kv.Value.Count).ThenBy(kv => kv.Key, StringComparer.Ordinal)
            .Select(kv => new RuleChange(
                kv.Key,
                kv.Value.Count,
                kv.Value.VerdictChanged,
                kv.Value.Transitions.OrderByDescending(t => t.Value).ThenBy(t => t.Key, StringComparer.Ordinal).Select(t => new RuleTransition(t.Key, t.Value)).ToList(),
                [.. kv.Value.Examples]))];

    /// <summary>The revisions the compared decisions were made on, with how many each, in the order first seen.</summary>
    public IReadOnlyList<KeyValuePair<string, long>> Revisions => [.. _revisions];

    /// <summary>Adds the comparison of decision <paramref name="decisionId"/>, made on <paramref name="revision"/>.</summary>
    public void Add(string decisionId, string revision, ReplayResult comparison)
    {
        ArgumentNullException.ThrowIfNull(decisionId);
        ArgumentNullException.ThrowIfNull(comparison);
        Decisions++;
        _revisions[revision] = _revisions.GetValueOrDefault(revision) + 1;
        var differences = comparison.Differences.Where(IsMaterial).ToList();
        if (differences.Count == 0)
        {
            return;
        }

        var verdict = differences.FirstOrDefault(d => d.Field == VerdictField);
        if (verdict is not null)
        {
            VerdictChanged++;
            var key = (verdict.Recorded, verdict.Replayed);
            if (!_verdicts.TryGetValue(key, out var group))
            {
                _verdicts[key] = group = new Group();
            }

            group.Add(decisionId, _examples);
        }
        else
        {
            OtherChanged++;
        }

        foreach (var (ruleId, transitions) in ByRule(differences))
        {
            if (!_rules.TryGetValue(ruleId, out var rule))
            {
                _rules[ruleId] = rule = new RuleGroup();
            }

            rule.Add(decisionId, _examples);
            rule.VerdictChanged += verdict is null ? 0 : 1;
            foreach (var transition in transitions)
            {
                rule.Transitions[transition] = rule.Transitions.GetValueOrDefault(transition) + 1;
            }
        }
    }

    /// <summary>
    /// False for a rule that one revision has and the other has not, and that did not fire where it exists
    /// (<c>absent ↔ not_fired</c>): a rule added or removed that changes nothing for this decision.
    /// </summary>
    private static bool IsMaterial(ReplayDifference difference) =>
        !(difference.Field.StartsWith(RulesField, StringComparison.Ordinal)
          && ((difference.Recorded == ReplayDifference.Absent && difference.Replayed == NotFired)
              || (difference.Recorded == NotFired && difference.Replayed == ReplayDifference.Absent)));

    /// <summary>
    /// The differences of one decision by the rule they concern: its result (<c>rules[id]</c>: <c>not_fired → fired</c>),
    /// its precaution's details (<c>precautions[id].outcome</c>: <c>outcome NOT_SUITABLE → CLINICIAN_REVIEW_REQUIRED</c>),
    /// and its precaution or note appearing or going (<c>precautions[id]</c>, <c>benefits[id]</c>) only when its result
    /// does not already say so.
    /// </summary>
    private static IEnumerable<(string RuleId, List<string> Transitions)> ByRule(IReadOnlyList<ReplayDifference> differences)
    {
        var byRule = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        var resultChanged = new HashSet<string>(StringComparer.Ordinal);
        foreach (var difference in differences)
        {
            if (RuleOf(difference.Field) is not var (ruleId, detail))
            {
                continue;
            }

            if (!byRule.TryGetValue(ruleId, out var transitions))
            {
                byRule[ruleId] = transitions = [];
            }

            if (detail is "result")
            {
                resultChanged.Add(ruleId);
            }

            transitions.Add(detail is "result" ? $"{difference.Recorded} → {difference.Replayed}" : $"{detail} {difference.Recorded} → {difference.Replayed}");
        }

        foreach (var (ruleId, transitions) in byRule)
        {
            yield return (ruleId, resultChanged.Contains(ruleId)
                ? [.. transitions.Where(t => !t.StartsWith("precaution ", StringComparison.Ordinal) && !t.StartsWith("note ", StringComparison.Ordinal))]
                : transitions);
        }
    }

    /// <summary>The rule a difference concerns and what of it: <c>result</c>, <c>precaution</c>, <c>note</c> or a precaution's detail.</summary>
    private static (string RuleId, string Detail)? RuleOf(string field)
    {
        foreach (var (prefix, detail) in new[] { (RulesField, "result"), ("precautions[", "precaution"), ("benefits[", "note") })
        {
            if (!field.StartsWith(prefix, StringComparison.Ordinal))
            {
                continue;
            }

            var close = field.IndexOf(']', prefix.Length);
            if (close < 0)
            {
                return null;
            }

            var rest = field[(close + 1)..];
            return (field[prefix.Length..close], rest.Length == 0 ? detail : rest.TrimStart('.'));
        }

        return null;
    }

    /// <summary>Counts an entry that could not be read as a decision record.</summary>
    public void AddUnreadable() => Unreadable++;

    private class Group
    {
        public long Count { get; private set; }

        public List<string> Examples { get; } = [];

        public void Add(string decisionId, int keep)
        {
            Count++;
            if (Examples.Count < keep)
            {
                Examples.Add(decisionId);
            }
        }
    }

    private sealed class RuleGroup : Group
    {
        public long VerdictChanged { get; set; }

        public Dictionary<string, long> Transitions { get; } = new(StringComparer.Ordinal);
    }
}
