using SafetyCheck.Core.Rules;

namespace SafetyCheck.AuditPage;

/// <summary>A rule that differs between two revisions.</summary>
/// <param name="RuleId">The rule.</param>
/// <param name="Change"><c>added</c>, <c>removed</c> or <c>changed</c>.</param>
/// <param name="Fields">For a changed rule, each property that differs (expression, outcome, texts, evidence…).</param>
/// <param name="Before">The rule in the earlier revision; null when added.</param>
/// <param name="After">The rule in the later revision; null when removed.</param>
public sealed record RuleChange(string RuleId, string Change, IReadOnlyList<FieldChange> Fields, RuleDefinition? Before, RuleDefinition? After);
