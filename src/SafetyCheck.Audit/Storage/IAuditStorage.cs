namespace SafetyCheck.Audit.Storage;

/// <summary>
/// The storage primitives under the chain writer (<see cref="Chain.AuditChainWriter"/>), for the one chain an instance
/// owns. The writer does everything else — queueing, batching, placing and hashing entries, the archive check, health —
/// so a store implements only these. Implemented by <c>SafetyCheck.Audit.Sqlite</c>.
/// <list type="bullet">
/// <item><b>Ownership.</b> An instance owns its chain exclusively from open to dispose (SQLite: a lock file; a database
/// shared by several instances: a lock per chain). Opening fails with <see cref="AuditStoreUnavailableException"/>
/// when another owner holds it.</item>
/// <item><b>One writer.</b> The writer calls the write members from one task at a time; reads may run at any time
/// and see committed entries only.</item>
/// <item><b>Durable or nothing.</b> A write completes only once it is committed and synced; a write that throws kept
/// nothing.</item>
/// </list>
/// </summary>
public interface IAuditStorage : IAuditReader, IVerifiedPointReader, IAsyncDisposable
{
    /// <summary>
    /// Appends <paramref name="entries"/>, already placed and hashed by the writer, in one atomic, durable write. The
    /// first entry's sequence is the head's plus one and its <see cref="StoredEntry.PrevHash"/> the head's hash; the
    /// rest follow contiguously.
    /// </summary>
    /// <exception cref="DuplicateEntryException">Entry ids of the batch are already stored; nothing was kept.</exception>
    /// <exception cref="AuditStoreUnavailableException">Nothing was kept: the write failed (disk full, I/O error), the
    /// head is not where the writer placed the batch, or the store is closed.</exception>
    Task AppendAsync(IReadOnlyList<StoredEntry> entries, CancellationToken cancellationToken = default);

    /// <summary>
    /// Archives <paramref name="revision"/> unless it is archived already: its identity and every file, each with its
    /// digest (<see cref="ArchivedRevision.DigestOf"/> of the bytes stored), in one atomic, durable write.
    /// </summary>
    /// <exception cref="AuditStoreUnavailableException">The archive could not be made durable, or the store is closed.</exception>
    Task ArchiveRevisionAsync(ArchivedRevision revision, CancellationToken cancellationToken = default);

    /// <summary>True when <paramref name="revision"/> is in the archive.</summary>
    /// <exception cref="AuditStoreUnavailableException">The store cannot be read.</exception>
    Task<bool> IsRevisionArchivedAsync(string revision, CancellationToken cancellationToken = default);

    /// <summary>
    /// Records <paramref name="point"/> (a sequence and its entry hash) as verified, durably. Points only move forward:
    /// one at or below the last recorded is ignored. Kept outside the chain and not part of any record.
    /// </summary>
    /// <exception cref="AuditStoreUnavailableException">It could not be made durable, or the store is closed.</exception>
    Task RecordVerifiedPointAsync(AuditHead point, CancellationToken cancellationToken = default);

    /// <summary>
    /// A cheap round trip to the store through the connection writes use, writing nothing: a store whose connection can
    /// be lost between writes (a database server) checks it and reconnects as the next write would, so that a failure
    /// while no write is made is seen all the same. The writer calls it, as a write, when no write has succeeded for a
    /// while and health asks (<see cref="Chain.AuditChainWriter.CheckLivenessAsync"/>). Succeeding proves the store
    /// answers, not that it accepts records: it never clears a failure. A store with nothing to check returns at once.
    /// </summary>
    /// <exception cref="AuditStoreUnavailableException">The store does not answer, or is closed.</exception>
    Task CheckLivenessAsync(CancellationToken cancellationToken = default);
}
