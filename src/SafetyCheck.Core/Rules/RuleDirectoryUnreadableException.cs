namespace SafetyCheck.Core.Rules;

/// <summary>
/// A rule directory that could not be read as a rule set: a symbolic link to a folder inside it, a folder or file that
/// cannot be read, a limit passed. An <see cref="IOException"/>, so that whoever handled an unreadable file before
/// handles it; <see cref="Problems"/> names each path relative to the directory.
/// </summary>
public sealed class RuleDirectoryUnreadableException : IOException
{
    public RuleDirectoryUnreadableException()
        : this([])
    {
    }

    public RuleDirectoryUnreadableException(string message)
        : base(message)
    {
        Problems = [new Diagnostic(".", 0, 0, message)];
    }

    public RuleDirectoryUnreadableException(string message, Exception innerException)
        : base(message, innerException)
    {
        Problems = [new Diagnostic(".", 0, 0, message)];
    }

    public RuleDirectoryUnreadableException(IReadOnlyList<Diagnostic> problems)
        : base(problems is [var first, ..] ? $"{first}{(problems.Count > 1 ? $" (and {problems.Count - 1} more)" : "")}" : "the rule directory could not be read")
    {
        Problems = problems;
    }

    /// <summary>Every problem, named by its path relative to the rule directory.</summary>
    public IReadOnlyList<Diagnostic> Problems { get; }
}
