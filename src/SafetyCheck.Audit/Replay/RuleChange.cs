namespace SafetyCheck.Audit.Replay;

/// <summary>A rule whose result a candidate rule set would change in recorded decisions.</summary>
/// <param name="RuleId">The rule.</param>
/// <param name="Decisions">Decisions in which its result differs.</param>
/// <param name="VerdictChanged">Of those, decisions whose verdict changes too.</param>
/// <param name="Transitions">How its result changes (<c>not_fired → fired</c>, <c>fired → absent</c>, …), most frequent first.</param>
/// <param name="Examples">Some of the decision ids, in the order met.</param>
public sealed record RuleChange(string RuleId, long Decisions, long VerdictChanged, IReadOnlyList<RuleTransition> Transitions, IReadOnlyList<string> Examples);
