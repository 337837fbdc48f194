namespace SafetyCheck.Core.Rules;

/// <summary>One file of the canonical rule set: its relative path (forward slashes) and exact bytes as loaded.</summary>
public sealed record RuleSetFile(string Path, byte[] Content);
