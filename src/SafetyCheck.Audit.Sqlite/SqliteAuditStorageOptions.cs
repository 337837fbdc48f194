namespace SafetyCheck.Audit.Sqlite;

/// <summary>Tuning of <see cref="SqliteAuditStorage"/>. The defaults suit a single service instance on a local disk.</summary>
public sealed record SqliteAuditStorageOptions
{
    /// <summary>How long a connection waits for a lock held by another connection; default 5 s.</summary>
    public TimeSpan BusyTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Test hook: runs inside each write transaction just before COMMIT, with the number of rows appended (1 for an archive); a throw aborts the transaction.</summary>
    internal Action<int>? BeforeCommit { get; init; }

    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    internal void Validate() => ArgumentOutOfRangeException.ThrowIfLessThan(BusyTimeout, TimeSpan.Zero, nameof(BusyTimeout));
}
