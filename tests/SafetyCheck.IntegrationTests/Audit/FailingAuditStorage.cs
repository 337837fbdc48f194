using Grpc.Health.V1;
using Microsoft.Extensions.DependencyInjection;
using SafetyCheck.Audit.Sqlite;
using SafetyCheck.Audit.Storage;
using SafetyCheck.Audit.Tests.Support;
using SafetyCheck.IntegrationTests.Infrastructure;

namespace SafetyCheck.IntegrationTests.Audit;

/// <summary>
/// A real SQLite store whose writes can be made to fail, as a full disk or a stopped writer would, or to freeze, as a
/// frozen file system does (everything runs as root here, so permissions cannot make a database unwritable). The chain
/// writer above it is the service's own.
/// </summary>
public sealed class FailingAuditStorage(IAuditStorage inner) : IAuditStorage
{
    private readonly WriteFreeze _freeze = new();
    private volatile bool _failWrites;
    private volatile bool _failEntriesOnly;
    private volatile bool _failArchivesOnly;
    private volatile bool _loseAcknowledgements;
    private volatile bool _failLiveness;
    private int _livenessChecks;
    private int _failedAppends;

    /// <summary>When set, appends and archives throw <see cref="AuditStoreUnavailableException"/>.</summary>
    public bool FailWrites
    {
        get => _failWrites;
        set => _failWrites = value;
    }

    /// <summary>
    /// When set, appends of entries throw but archives (which write nothing once a revision is archived) succeed: a full
    /// disk, on which an empty write transaction still commits.
    /// </summary>
    public bool FailEntriesOnly
    {
        get => _failEntriesOnly;
        set => _failEntriesOnly = value;
    }

    /// <summary>When set, archives throw but appends succeed: a revision too large for the space left.</summary>
    public bool FailArchivesOnly
    {
        get => _failArchivesOnly;
        set => _failArchivesOnly = value;
    }

    /// <summary>
    /// When set, appends commit and then throw, as a connection dropped after the store committed does: the entries are
    /// in the store, and the writer is told they are not.
    /// </summary>
    public bool LoseAcknowledgements
    {
        get => _loseAcknowledgements;
        set => _loseAcknowledgements = value;
    }

    /// <summary>
    /// When set, the store's liveness round trip fails, as a database server that went away does while nothing is
    /// written (writes still do what the other settings say).
    /// </summary>
    public bool FailLiveness
    {
        get => _failLiveness;
        set => _failLiveness = value;
    }

    public int FailedAppends => Volatile.Read(ref _failedAppends);

    /// <summary>Liveness round trips that reached the store, failed or not.</summary>
    public int LivenessChecks => Volatile.Read(ref _livenessChecks);

    /// <summary>A failing store over a new SQLite database in <paramref name="folder"/>.</summary>
    public static FailingAuditStorage Open(TempAuditFolder folder) => new(SqliteAuditStorage.Open(folder.DatabasePath));

    /// <summary>
    /// The real host on this store, serving (its revision archived), with its background verification finished and the
    /// store's failure log line declared as expected.
    /// </summary>
    public async Task<TestServerHost> StartHostAsync(params string[] args)
    {
        var host = await TestServerHost.StartAsync(TestPaths.Rules, args: args, configureServices: s => s.AddSingleton<IAuditStorage>(this));
        host.Logs.Expect("SafetyCheck.Audit", "could not be recorded");
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, (await host.Health.CheckAsync(new HealthCheckRequest())).Status);
        await host.SettledAsync();
        return host;
    }

    /// <summary>Writes that are blocked in <see cref="Freeze"/> now.</summary>
    public int FrozenWrites => _freeze.Blocked;

    /// <summary>From now on every write blocks (synchronously, as SQLite does on a frozen file system) until <see cref="Thaw"/>.</summary>
    public void Freeze() => _freeze.Freeze();

    public void Thaw() => _freeze.Thaw();

    public Task AppendAsync(IReadOnlyList<StoredEntry> entries, CancellationToken cancellationToken = default)
    {
        _freeze.Block();
        if (_failWrites || _failEntriesOnly)
        {
            Interlocked.Increment(ref _failedAppends);
            throw new AuditStoreUnavailableException("database or disk is full (injected)");
        }

        return _loseAcknowledgements ? CommitThenFailAsync(entries, cancellationToken) : inner.AppendAsync(entries, cancellationToken);
    }

    private async Task CommitThenFailAsync(IReadOnlyList<StoredEntry> entries, CancellationToken cancellationToken)
    {
        await inner.AppendAsync(entries, cancellationToken).ConfigureAwait(false);
        Interlocked.Increment(ref _failedAppends);
        throw new AuditStoreUnavailableException("the connection was lost after the commit (injected)");
    }

    public Task ArchiveRevisionAsync(ArchivedRevision revision, CancellationToken cancellationToken = default)
    {
        _freeze.Block();
        return _failWrites || _failArchivesOnly
            ? Task.FromException(new AuditStoreUnavailableException("the audit writer stopped (injected)"))
            : inner.ArchiveRevisionAsync(revision, cancellationToken);
    }

    public Task<bool> IsRevisionArchivedAsync(string revision, CancellationToken cancellationToken = default) =>
        inner.IsRevisionArchivedAsync(revision, cancellationToken);

    public Task CheckLivenessAsync(CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _livenessChecks);
        return _failLiveness
            ? Task.FromException(new AuditStoreUnavailableException("the database server closed the connection (injected)"))
            : inner.CheckLivenessAsync(cancellationToken);
    }

    public Task<AuditHead?> GetVerifiedPointAsync(CancellationToken cancellationToken = default) => inner.GetVerifiedPointAsync(cancellationToken);

    public Task RecordVerifiedPointAsync(AuditHead point, CancellationToken cancellationToken = default)
    {
        _freeze.Block();
        return inner.RecordVerifiedPointAsync(point, cancellationToken);
    }

    public Task<StoredEntry?> GetAsync(string entryId, CancellationToken cancellationToken = default) => inner.GetAsync(entryId, cancellationToken);

    public Task<EntryPage> ListAsync(EntryFilter filter, CancellationToken cancellationToken = default) => inner.ListAsync(filter, cancellationToken);

    public IAsyncEnumerable<StoredEntry> ReadRangeAsync(long fromSequence, int count, CancellationToken cancellationToken = default) =>
        inner.ReadRangeAsync(fromSequence, count, cancellationToken);

    public Task<ArchivedRevision?> GetRevisionAsync(string revision, CancellationToken cancellationToken = default) =>
        inner.GetRevisionAsync(revision, cancellationToken);

    public Task<IReadOnlyList<string>> ListRevisionsAsync(CancellationToken cancellationToken = default) => inner.ListRevisionsAsync(cancellationToken);

    public Task<AuditHead> HeadAsync(CancellationToken cancellationToken = default) => inner.HeadAsync(cancellationToken);

    public ValueTask DisposeAsync() => inner.DisposeAsync();
}
