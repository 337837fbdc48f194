using SafetyCheck.Core.Rules;

namespace SafetyCheck.Audit.Storage;

/// <summary>An archived rule revision and its use.</summary>
/// <param name="Identity">Name, version and revision hash, as archived.</param>
/// <param name="Decisions">Decisions made on it (0 when it was archived but never answered).</param>
/// <param name="FirstRecordedAt">When its first decision was recorded (audit time form); null without decisions.</param>
/// <param name="LastRecordedAt">When its last decision was recorded; null without decisions.</param>
public sealed record RevisionUse(RulesetIdentity Identity, long Decisions, string? FirstRecordedAt, string? LastRecordedAt);
