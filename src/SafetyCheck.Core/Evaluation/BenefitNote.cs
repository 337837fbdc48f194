using SafetyCheck.Core.Rules;

namespace SafetyCheck.Core.Evaluation;

/// <summary>An evidence-graded note a clinician can share with the family; never changes the verdict.</summary>
public sealed record BenefitNote(string RuleId, string Topic, string Summary, Evidence Evidence);
