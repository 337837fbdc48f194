namespace SafetyCheck.Audit;

/// <summary>
/// Whether the last write to the audit store failed. A failed append or archive marks it failed; the next write that
/// succeeds (a decision, or the health check's probe) clears it. Thread-safe.
/// </summary>
internal sealed class AuditWriterHealth(ILogger<AuditWriterHealth> log)
{
    private Exception? _failure;

    /// <summary>Why the last write failed; null when it succeeded (or none was made yet).</summary>
    public Exception? Failure => Volatile.Read(ref _failure);

    public void Failed(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        Volatile.Write(ref _failure, exception);
    }

    public void Succeeded()
    {
        if (Volatile.Read(ref _failure) is not null && Interlocked.Exchange(ref _failure, null) is not null)
        {
            AuditLog.WriterRecovered(log);
        }
    }
}
