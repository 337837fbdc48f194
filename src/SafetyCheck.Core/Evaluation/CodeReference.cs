using SafetyCheck.Core.Domain;

namespace SafetyCheck.Core.Evaluation;

/// <summary>A code as the caller sent it, with the status it was sent with.</summary>
public sealed record CodeReference(string System, string Code, ConditionStatus Status = ConditionStatus.Active);
