namespace SafetyCheck.Audit.Storage;

/// <summary>How often each rule fired on each revision over a period.</summary>
/// <param name="DecisionsPerRevision">Decisions per revision in the period (revisions without decisions are absent).</param>
/// <param name="Counts">Per revision and rule, the decisions in which the rule produced a precaution or a benefit note
/// (pairs that never fired are absent), ordered by revision then rule id (ordinal).</param>
public sealed record RuleFirings(IReadOnlyDictionary<string, long> DecisionsPerRevision, IReadOnlyList<RuleFiringCount> Counts);
