using SafetyCheck.Audit.Storage;

namespace SafetyCheck.IntegrationTests.Audit;

/// <summary>
/// A real SQLite store whose writes can be made to fail, as a full disk or a stopped writer would (everything runs as
/// root here, so permissions cannot make a database unwritable). The chain writer above it is the service's own.
/// </summary>
public sealed class FailingAuditStorage(IAuditStorage inner) : IAuditStorage
{
    private volatile bool _failWrites;
    private int _failedAppends;

    /// <summary>When set, appends and archives throw <see cref="AuditStoreUnavailableException"/>.</summary>
    public bool FailWrites
    {
        get => _failWrites;
        set => _failWrites = value;
    }

    public int FailedAppends => Volatile.Read(ref _failedAppends);

    public Task AppendAsync(IReadOnlyList<StoredEntry> entries, CancellationToken cancellationToken = default)
    {
        if (_failWrites)
        {
            Interlocked.Increment(ref _failedAppends);
            throw new AuditStoreUnavailableException("disk full (injected)");
        }

        return inner.AppendAsync(entries, cancellationToken);
    }

    public Task ArchiveRevisionAsync(ArchivedRevision revision, CancellationToken cancellationToken = default) =>
        _failWrites
            ? Task.FromException(new AuditStoreUnavailableException("the audit writer stopped (injected)"))
            : inner.ArchiveRevisionAsync(revision, cancellationToken);

    public Task<bool> IsRevisionArchivedAsync(string revision, CancellationToken cancellationToken = default) =>
        inner.IsRevisionArchivedAsync(revision, cancellationToken);

    public Task<StoredEntry?> GetAsync(string entryId, CancellationToken cancellationToken = default) => inner.GetAsync(entryId, cancellationToken);

    public Task<EntryPage> ListAsync(EntryFilter filter, CancellationToken cancellationToken = default) => inner.ListAsync(filter, cancellationToken);

    public IAsyncEnumerable<StoredEntry> ReadRangeAsync(long fromSequence, int count, CancellationToken cancellationToken = default) =>
        inner.ReadRangeAsync(fromSequence, count, cancellationToken);

    public Task<ArchivedRevision?> GetRevisionAsync(string revision, CancellationToken cancellationToken = default) =>
        inner.GetRevisionAsync(revision, cancellationToken);

    public Task<AuditHead> HeadAsync(CancellationToken cancellationToken = default) => inner.HeadAsync(cancellationToken);

    public ValueTask DisposeAsync() => inner.DisposeAsync();
}
