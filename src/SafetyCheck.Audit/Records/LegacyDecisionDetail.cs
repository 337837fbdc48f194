using SafetyCheck.Core.Rules;

namespace SafetyCheck.Audit.Records;

/// <summary>What a schema v1 record spells out that a v2 record leaves to the archive and the results digest.</summary>
/// <param name="Ruleset">The rule set's name, version and revision as recorded.</param>
/// <param name="Result">Each precaution's details, the benefit notes and every rule's result, as recorded.</param>
public sealed record LegacyDecisionDetail(RulesetIdentity Ruleset, DecisionResult Result);
