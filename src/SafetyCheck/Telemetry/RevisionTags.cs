using SafetyCheck.Core.Domain;
using SafetyCheck.Core.Evaluation;

namespace SafetyCheck.Telemetry;

/// <summary>
/// The metric tags of one rule revision, made once and reused by every decision on it, so that counting a decision
/// allocates nothing: the verdict and revision pair of each verdict, and the rule and revision pair of each rule in rule
/// order (the order of <see cref="Assessment.Trace"/>). Immutable.
/// </summary>
internal sealed class RevisionTags
{
    private static readonly Suitability[] Verdicts = Enum.GetValues<Suitability>();

    private readonly KeyValuePair<string, object?>[][] _verdicts;
    private readonly KeyValuePair<string, object?>[][] _rules;
    private readonly string[] _ruleIds;

    private RevisionTags(string revision, string[] ruleIds)
    {
        Revision = revision;
        _ruleIds = ruleIds;
        var maxVerdict = Verdicts.Max(v => (int)v);
        _verdicts = new KeyValuePair<string, object?>[maxVerdict + 1][];
        foreach (var verdict in Verdicts)
        {
            _verdicts[(int)verdict] = [new("verdict", EnumNames.Of(verdict)), new("revision", revision)];
        }

        _rules = [.. ruleIds.Select(id => new KeyValuePair<string, object?>[] { new("rule", id), new("revision", revision) })];
    }

    /// <summary>The revision these tags name.</summary>
    public string Revision { get; }

    /// <summary>The tags of the revision whose rules are those of <paramref name="trace"/>, in that order.</summary>
    public static RevisionTags For(string revision, IReadOnlyList<RuleOutcome> trace) =>
        new(revision, [.. trace.Select(o => o.RuleId)]);

    /// <summary>verdict and revision.</summary>
    public ReadOnlySpan<KeyValuePair<string, object?>> Verdict(Suitability verdict) => _verdicts[(int)verdict];

    /// <summary>rule and revision of the rule at <paramref name="index"/> of the trace, checked against its id; null when the trace does not match.</summary>
    public KeyValuePair<string, object?>[]? Rule(int index, string ruleId) =>
        index < _ruleIds.Length && string.Equals(_ruleIds[index], ruleId, StringComparison.Ordinal) ? _rules[index] : null;
}
