namespace SafetyCheck.Audit.Chain;

/// <summary>Tuning of <see cref="AuditChainWriter"/>. The defaults suit one service instance on a local disk.</summary>
public sealed record AuditChainWriterOptions
{
    /// <summary>Most entries committed in one write (one fsync for many records); 1–10 000, default 64.</summary>
    public int MaxBatchSize { get; init; } = 64;

    /// <summary>Appends that may wait for the writer before further callers wait to enqueue (back-pressure); default 4096.</summary>
    public int QueueCapacity { get; init; } = 4096;

    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    internal void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxBatchSize, 1, nameof(MaxBatchSize));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(MaxBatchSize, 10_000, nameof(MaxBatchSize));
        ArgumentOutOfRangeException.ThrowIfLessThan(QueueCapacity, 1, nameof(QueueCapacity));
    }
}
