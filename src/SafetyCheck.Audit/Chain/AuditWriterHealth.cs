using Microsoft.Extensions.Logging;

namespace SafetyCheck.Audit.Chain;

/// <summary>
/// Whether the writer's last write to the store failed. A failed append or archive marks it failed; the next write that
/// succeeds (a record, or an archive used as a probe) clears it. Decisions must not be answered while it is failed
/// unless a write proves the store works again. Thread-safe.
/// </summary>
public sealed class AuditWriterHealth
{
    private readonly ILogger _log;
    private Exception? _failure;

    internal AuditWriterHealth(ILogger log) => _log = log;

    /// <summary>Why the last write failed; null when it succeeded (or none was made yet).</summary>
    public Exception? Failure => Volatile.Read(ref _failure);

    internal void Failed(Exception exception) => Volatile.Write(ref _failure, exception);

    internal void Succeeded()
    {
        if (Volatile.Read(ref _failure) is not null && Interlocked.Exchange(ref _failure, null) is not null)
        {
            ChainWriterLog.WriterRecovered(_log);
        }
    }
}
