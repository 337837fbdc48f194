namespace SafetyCheck.Audit.Storage;

/// <summary>In how many decisions of one revision one rule produced a precaution or a benefit note.</summary>
public sealed record RuleFiringCount(string Revision, string RuleId, long Decisions);
