namespace SafetyCheck.Audit.Storage;

/// <summary>A decision's index columns: what the summaries count, read without the record.</summary>
/// <param name="Sequence">Its place in its chain (from 1).</param>
/// <param name="RecordedAt">When it was recorded, in the audit time form (<see cref="Json.AuditTime"/>).</param>
/// <param name="Verdict">Verdict contract name, e.g. <c>NOT_SUITABLE</c>.</param>
/// <param name="Revision">The rule revision that made it.</param>
/// <param name="RuleIds">The ids of the rules that produced a precaution or a benefit note, as the JSON array stored; null when none is stored.</param>
public sealed record DecisionSummary(long Sequence, string RecordedAt, string? Verdict, string? Revision, string? RuleIds);
