using SafetyCheck.Core.Rules;

namespace SafetyCheck.AuditPage;

/// <summary>A benefit note a decision returned, with its archived topic, summary and evidence (empty when unknown).</summary>
public sealed record BenefitView(string RuleId, string Topic, string Summary, Evidence Evidence);
