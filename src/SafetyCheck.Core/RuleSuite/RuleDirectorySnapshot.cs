using SafetyCheck.Core.Rules;

namespace SafetyCheck.Core.RuleSuite;

/// <summary>
/// Every file of a rule directory that a revision or its rule suite is made of, read into memory in one pass before
/// anything is loaded, so that a candidate is judged on one set of bytes: what an edit saved, not a mixture of the
/// files before and after it.
/// </summary>
/// <param name="Directory">The absolute rule directory read.</param>
/// <param name="RevisionFiles">The files of the revision (<see cref="RuleSetLoader.ReadFiles"/>).</param>
/// <param name="CaseFiles">The rule cases (<see cref="RuleSuiteRunner.ReadCaseFiles"/>).</param>
public sealed record RuleDirectorySnapshot(string Directory, IReadOnlyList<RuleSetFile> RevisionFiles, IReadOnlyList<RuleSetFile> CaseFiles)
{
    /// <summary>The revision the files hash to, whether or not they load (computed on each call).</summary>
    public string Revision => RevisionHasher.Compute(RevisionFiles);

    /// <summary>Reads <paramref name="directory"/>.</summary>
    /// <exception cref="DirectoryNotFoundException">There is no such directory.</exception>
    /// <exception cref="IOException">A file could not be read (or vanished while it was being read).</exception>
    /// <exception cref="UnauthorizedAccessException">A file could not be read.</exception>
    public static RuleDirectorySnapshot Read(string directory)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        var root = Path.GetFullPath(directory);
        if (!System.IO.Directory.Exists(root))
        {
            throw new DirectoryNotFoundException($"rule directory not found: {root}");
        }

        return new RuleDirectorySnapshot(root, RuleSetLoader.ReadFiles(root), RuleSuiteRunner.ReadCaseFiles(root));
    }
}
