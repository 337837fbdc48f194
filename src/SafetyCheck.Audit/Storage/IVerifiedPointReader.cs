namespace SafetyCheck.Audit.Storage;

/// <summary>
/// A chain whose store keeps verified points: heads of prefixes that a full verification found intact, recorded by the
/// service (<see cref="IAuditStorage.RecordVerifiedPointAsync"/>). A verification of the chain checks it against the
/// last one: a chain that now ends before it was truncated, and one whose entry hash there differs was rewritten.
/// Implemented by the stores and by their read-only readers (per chain).
/// </summary>
public interface IVerifiedPointReader
{
    /// <summary>
    /// The last verified point recorded for this chain: a sequence and its entry hash; null when none was recorded (or
    /// the store's layout predates them).
    /// </summary>
    /// <exception cref="AuditStoreUnavailableException">The store cannot be read.</exception>
    Task<AuditHead?> GetVerifiedPointAsync(CancellationToken cancellationToken = default);
}
