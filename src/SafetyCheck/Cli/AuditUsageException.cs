namespace SafetyCheck.Cli;

/// <summary>A bad argument to an <c>audit</c> verb (exit 2); the message says which and why.</summary>
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
}
