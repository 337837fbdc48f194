using SafetyCheck.Audit.Storage;
using SafetyCheck.Core.Rules;

namespace SafetyCheck.AuditPage;

/// <summary>One archived revision: its use, its files and every rule, as archived.</summary>
public sealed record RevisionPageModel(PageFrame Frame, RevisionUse? Use, RuleSet RuleSet);
