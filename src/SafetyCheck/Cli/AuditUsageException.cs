namespace SafetyCheck.Cli;

/// <summary>
/// A bad argument to an <c>audit</c> verb (exit 2); the message says which and why. A malformed or missing value is
/// followed by the help to read, as the parser's own refusals are (<see cref="BadCommandLine"/>); a well-formed value
/// naming nothing there (no such decision, a file that is not a checkpoint) is not.
/// </summary>
internal sealed class AuditUsageException : Exception
{
    public AuditUsageException()
    {
    }

    public AuditUsageException(string message)
        : base(message)
    {
    }

    public AuditUsageException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <param name="message">Which argument, and why.</param>
    /// <param name="seeHelp">Whether the command line itself is at fault, so that its help is worth reading.</param>
    /// <param name="innerException">The cause, if any.</param>
    public AuditUsageException(string message, bool seeHelp, Exception? innerException = null)
        : base(message, innerException) => SeeHelp = seeHelp;

    /// <summary>Whether the command line itself is at fault (a malformed or missing value), so that its help is worth reading.</summary>
    public bool SeeHelp { get; } = true;
}
