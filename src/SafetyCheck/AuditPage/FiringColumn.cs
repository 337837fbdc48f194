using SafetyCheck.Core.Rules;

namespace SafetyCheck.AuditPage;

/// <summary>A revision in the firing picture: which it is and how many decisions it made in the period.</summary>
/// <param name="Identity">Name, version and revision.</param>
/// <param name="Decisions">Its decisions in the period.</param>
/// <param name="RuleIds">Its rules, from its archived files; null when they could not be loaded (only rules that fired are known).</param>
public sealed record FiringColumn(RulesetIdentity Identity, long Decisions, IReadOnlySet<string>? RuleIds);
