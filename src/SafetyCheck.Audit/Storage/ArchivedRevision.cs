using System.Security.Cryptography;
using SafetyCheck.Core.Rules;

namespace SafetyCheck.Audit.Storage;

/// <summary>A rule revision as the archive keeps it: its identity and the exact files that hash to it.</summary>
/// <param name="Identity">Name and version from the manifest, and the revision hash.</param>
/// <param name="Files">The files the revision hash covers (manifest, catalog, rule files, terminology: whatever the loader
/// hashes), in ordinal path order.</param>
public sealed record ArchivedRevision(RulesetIdentity Identity, IReadOnlyList<RuleSetFile> Files)
{
    /// <summary>
    /// Per file path, the SHA-256 of its bytes that the store recorded when it archived the file
    /// (<see cref="DigestOf"/>). Read back by <see cref="IAuditReader.GetRevisionAsync"/>; empty for revisions a store
    /// archived before it kept digests, and ignored on archiving (the store computes them from the bytes it keeps).
    /// The revision hash is what proves the files; the digests only name which file changed when it no longer does.
    /// </summary>
    public IReadOnlyDictionary<string, string> FileDigests { get; init; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>The archive form of a loaded rule set.</summary>
    public static ArchivedRevision Of(RuleSet ruleSet)
    {
        ArgumentNullException.ThrowIfNull(ruleSet);
        return new ArchivedRevision(ruleSet.Identity, ruleSet.Files);
    }

    /// <summary>A file's archive digest: lowercase hex SHA-256 of <paramref name="content"/> exactly as stored.</summary>
    public static string DigestOf(byte[] content)
    {
        ArgumentNullException.ThrowIfNull(content);
        return Convert.ToHexStringLower(SHA256.HashData(content));
    }
}
