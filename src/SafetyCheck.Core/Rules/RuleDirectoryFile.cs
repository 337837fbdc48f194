namespace SafetyCheck.Core.Rules;

/// <summary>One entry of a rule directory: its path relative to the directory (forward slashes) and what the walk saw.</summary>
public sealed record RuleDirectoryFile(string Path, FileSystemInfo Info);
