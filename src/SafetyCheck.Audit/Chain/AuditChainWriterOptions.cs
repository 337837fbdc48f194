namespace SafetyCheck.Audit.Chain;

/// <summary>Tuning of <see cref="AuditChainWriter"/>. The defaults suit one service instance on a local disk.</summary>
public sealed record AuditChainWriterOptions
{
    /// <summary>Most entries committed in one write (one fsync for many records); 1–10 000, default 64.</summary>
    public int MaxBatchSize { get; init; } = 64;

    /// <summary>Appends that may wait for the writer before further callers wait to enqueue (back-pressure); default 4096.</summary>
    public int QueueCapacity { get; init; } = 4096;

    /// <summary>
    /// How long an append or archive may wait, queue and commit included, before it counts as failed: its caller gets
    /// <see cref="Storage.AuditStoreUnavailableException"/> (no receipt; the record may still be committed later), and
    /// <see cref="AuditChainWriter.Health"/> fails until a later commit succeeds. While a store write has run longer than
    /// this (a frozen file system), new appends fail at once. More than zero; default 5 s.
    /// </summary>
    public TimeSpan CommitStallTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How long the store may go without a successful write before <see cref="AuditChainWriter.CheckLivenessAsync"/>
    /// asks it for a round trip (<see cref="Storage.IAuditStorage.CheckLivenessAsync"/>): a store that fails while
    /// nothing is written is seen within about this long by a health check that asks. More than zero; default 2 s.
    /// </summary>
    public TimeSpan LivenessInterval { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Repeated write failures are logged at most once per this interval, with a count; more than zero, default 10 s.</summary>
    public TimeSpan FailureLogInterval { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>The clock of the stall bound, the failure log and outages; default <see cref="TimeProvider.System"/>.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>
    /// Makes the entry that records an outage of the store (<see cref="AuditOutage"/>); the writer commits it with the
    /// first write that succeeds after failures, so the chain says when it could not record and how many writes were
    /// refused. It is also what <see cref="AuditChainWriter.ProbeAsync"/> commits to find out whether the store accepts
    /// records again. Null (default): no outage entries, and a probe cannot clear a failure (only a real record can).
    /// </summary>
    public Func<AuditOutage, IAuditEntry>? OutageEntry { get; init; }

    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    internal void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxBatchSize, 1, nameof(MaxBatchSize));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(MaxBatchSize, 10_000, nameof(MaxBatchSize));
        ArgumentOutOfRangeException.ThrowIfLessThan(QueueCapacity, 1, nameof(QueueCapacity));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(CommitStallTimeout, TimeSpan.Zero, nameof(CommitStallTimeout));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(FailureLogInterval, TimeSpan.Zero, nameof(FailureLogInterval));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(LivenessInterval, TimeSpan.Zero, nameof(LivenessInterval));
        ArgumentNullException.ThrowIfNull(TimeProvider);
    }
}
