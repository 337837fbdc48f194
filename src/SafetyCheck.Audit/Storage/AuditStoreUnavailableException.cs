namespace SafetyCheck.Audit.Storage;

/// <summary>
/// The audit store cannot record or read decisions: it is locked by another process, closed, its chain does not
/// verify at its tail, or a write failed (disk full, I/O error). A caller making a decision maps this to
/// UNAVAILABLE and returns no verdict.
/// </summary>
public sealed class AuditStoreUnavailableException : Exception
{
    public AuditStoreUnavailableException()
    {
    }

    public AuditStoreUnavailableException(string message)
        : base(message)
    {
    }

    public AuditStoreUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
