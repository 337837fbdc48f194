using SafetyCheck.Core.Rules;

namespace SafetyCheck.Audit.Storage;

/// <summary>A rule revision as the archive keeps it: its identity and the exact files that hash to it.</summary>
/// <param name="Identity">Name and version from the manifest, and the revision hash.</param>
/// <param name="Files">The canonical files (manifest, catalog, rule files, terminology) in ordinal path order.</param>
public sealed record ArchivedRevision(RulesetIdentity Identity, IReadOnlyList<RuleSetFile> Files)
{
    /// <summary>The archive form of a loaded rule set.</summary>
    public static ArchivedRevision Of(RuleSet ruleSet)
    {
        ArgumentNullException.ThrowIfNull(ruleSet);
        return new ArchivedRevision(ruleSet.Identity, ruleSet.Files);
    }
}
