namespace SafetyCheck.Audit.Storage;

/// <summary>
/// What auditors read from a store: a chain (<see cref="IAuditChain"/>), look-ups by entry id, filtered pages, and the
/// archive of rule revisions. Implementations read committed entries only and may be used while a writer appends (each
/// call sees a consistent snapshot). A read the store cannot make — the database unreachable, a damaged file, an I/O
/// error — fails with <see cref="AuditStoreUnavailableException"/>, never with the driver's own exception, so that
/// every caller answers "the trail cannot be read" the same way whatever the store. Thread-safe.
/// </summary>
public interface IAuditReader : IAuditChain
{
    /// <summary>The entry whose id is <paramref name="entryId"/> (a decision id for decisions), or null when the store has none.</summary>
    Task<StoredEntry?> GetAsync(string entryId, CancellationToken cancellationToken = default);

    /// <summary>One page of entries matching <paramref name="filter"/>, in sequence order.</summary>
    /// <exception cref="ArgumentException">The page size is out of range or the page token is not one this store issued.</exception>
    Task<EntryPage> ListAsync(EntryFilter filter, CancellationToken cancellationToken = default);

    /// <summary>
    /// The archived rule revision (its name, version and files in ordinal path order, with the digest recorded for each
    /// file when it was archived: <see cref="ArchivedRevision.FileDigests"/>), or null when it was never archived.
    /// </summary>
    Task<ArchivedRevision?> GetRevisionAsync(string revision, CancellationToken cancellationToken = default);

    /// <summary>The id of every archived revision, in ordinal order (a store keeps few: one per rule set it served).</summary>
    Task<IReadOnlyList<string>> ListRevisionsAsync(CancellationToken cancellationToken = default);
}
