using Microsoft.Extensions.Logging;

namespace SafetyCheck.Audit.Chain;

/// <summary>
/// Whether the store accepts records, as the outcome of real commits shows it: the first append or archive that fails
/// or stalls past <see cref="AuditChainWriterOptions.CommitStallTimeout"/> marks it failed at once; only a committed
/// append of entries clears it (an archive of a revision already archived writes nothing, so it proves nothing). A
/// refused chain (its verification failed) stays failed for the writer's life. Decisions must not be answered while it
/// is failed unless a commit proves the store works again. Thread-safe.
/// </summary>
public sealed class AuditWriterHealth
{
    private readonly Lock _gate = new();
    private readonly RepeatedFailureLog _failures;
    private Exception? _failure;
    private DateTimeOffset? _failedSince;
    private long _failedWrites;
    private string? _refusal;

    internal AuditWriterHealth(ILogger log, TimeProvider clock, TimeSpan logInterval) => _failures = new RepeatedFailureLog(log, clock, logInterval);

    /// <summary>Why the store cannot record: the last failed commit, or the refusal; null when the last commit succeeded (or none was made yet).</summary>
    public Exception? Failure => Volatile.Read(ref _failure);

    /// <summary>When the current failure began; null when healthy.</summary>
    public DateTimeOffset? FailedSince
    {
        get
        {
            lock (_gate)
            {
                return _failedSince;
            }
        }
    }

    /// <summary>Writes that failed or stalled since <see cref="FailedSince"/>; 0 when healthy.</summary>
    public long FailedWrites => Interlocked.Read(ref _failedWrites);

    /// <summary>Why the chain is refused (its verification failed): no append is made again; null when it is not.</summary>
    public string? Refusal => Volatile.Read(ref _refusal);

    /// <summary>
    /// Marks a failed or stalled write of <paramref name="writes"/> entries (or one archive), and logs it (at most once
    /// per interval) unless <paramref name="quiet"/> (a write refused because the writer is closing is shutdown, not a
    /// store failure).
    /// </summary>
    internal void Failed(Exception exception, int writes, bool quiet = false)
    {
        lock (_gate)
        {
            _failedSince ??= _failures.Now;
            Volatile.Write(ref _failure, exception);
            Interlocked.Add(ref _failedWrites, writes);
        }

        if (!quiet)
        {
            _failures.Failed(exception.Message, writes);
        }
    }

    /// <summary>
    /// A commit of entries succeeded: clears a failure (never a refusal) and logs the recovery with its count. Returns
    /// the outage it ended, or null when there was none.
    /// </summary>
    internal AuditOutage? Succeeded()
    {
        if (Volatile.Read(ref _failure) is null || Refusal is not null)
        {
            return null;
        }

        AuditOutage outage;
        lock (_gate)
        {
            if (_failure is null || _refusal is not null)
            {
                return null;
            }

            Volatile.Write(ref _failure, null);
            var now = _failures.Now;
            outage = new AuditOutage(_failedSince ?? now, now, Interlocked.Exchange(ref _failedWrites, 0));
            _failedSince = null;
        }

        _failures.Recovered(outage.FailedWrites, outage.Since);
        return outage;
    }

    /// <summary>Refuses the chain for good.</summary>
    internal void Refuse(string reason, Exception failure)
    {
        lock (_gate)
        {
            Volatile.Write(ref _refusal, reason);
            Volatile.Write(ref _failure, failure);
            _failedSince ??= _failures.Now;
        }
    }
}
