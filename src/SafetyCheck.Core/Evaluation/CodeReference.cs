namespace SafetyCheck.Core.Evaluation;

/// <summary>A code as the caller sent it.</summary>
public sealed record CodeReference(string System, string Code);
