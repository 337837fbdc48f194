namespace SafetyCheck.Telemetry;

/// <summary>A decision as the silent-rule alarm reads it back from the audit trail: its revision and the rules that fired.</summary>
/// <param name="Revision">The rule revision that made it.</param>
/// <param name="FiredRuleIds">The rules that gave a precaution or a benefit note (the record's <c>rule_ids</c>).</param>
internal sealed record TrailDecision(string Revision, IReadOnlyList<string> FiredRuleIds);
