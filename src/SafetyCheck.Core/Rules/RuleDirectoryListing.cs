namespace SafetyCheck.Core.Rules;

/// <summary>What <see cref="RuleDirectoryReader.List"/> found.</summary>
/// <param name="Directory">The absolute rule directory.</param>
/// <param name="Files">The files (symbolic links to files included), ordinal by path.</param>
/// <param name="FolderLinks">The symbolic links to folders, which were not descended into, ordinal by path.</param>
/// <param name="Problems">Why the directory may not be read as a rule set: folder links, folders that cannot be listed, too many entries.</param>
public sealed record RuleDirectoryListing(string Directory, IReadOnlyList<RuleDirectoryFile> Files, IReadOnlyList<RuleDirectoryFile> FolderLinks, IReadOnlyList<Diagnostic> Problems)
{
    /// <summary>True when the walk stopped at <see cref="RuleDirectoryReader.MaxEntries"/>: the lists are partial.</summary>
    public bool Truncated { get; init; }
}
