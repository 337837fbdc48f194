namespace SafetyCheck.Audit.Feedback;

/// <summary>An override reason as a coding: <c>system</c> and <c>code</c> (either may be empty), and its display.</summary>
public sealed record OverrideReasonCode(string System, string Code, string Display);
