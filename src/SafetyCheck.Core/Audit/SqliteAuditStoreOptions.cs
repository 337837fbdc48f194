namespace SafetyCheck.Core.Audit;

/// <summary>Tuning of <see cref="SqliteAuditStore"/>. The defaults suit a single service instance on a local disk.</summary>
public sealed record SqliteAuditStoreOptions
{
    /// <summary>Most records committed in one transaction (one fsync); 1–10 000, default 64.</summary>
    public int MaxBatchSize { get; init; } = 64;

    /// <summary>Appends that may wait for the writer before further callers wait to enqueue (back-pressure); default 4096.</summary>
    public int QueueCapacity { get; init; } = 4096;

    /// <summary>How long a connection waits for a lock held by another connection; default 5 s.</summary>
    public TimeSpan BusyTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Test hook: runs inside each write transaction just before COMMIT, with the number of writes in it; a throw aborts the transaction.</summary>
    internal Action<int>? BeforeCommit { get; init; }

    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    internal void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxBatchSize, 1, nameof(MaxBatchSize));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(MaxBatchSize, 10_000, nameof(MaxBatchSize));
        ArgumentOutOfRangeException.ThrowIfLessThan(QueueCapacity, 1, nameof(QueueCapacity));
        ArgumentOutOfRangeException.ThrowIfLessThan(BusyTimeout, TimeSpan.Zero, nameof(BusyTimeout));
    }
}
