using System.Runtime.CompilerServices;
using SafetyCheck.Audit.Storage;

namespace SafetyCheck.Audit.Tests.Support;

/// <summary>
/// The storage primitives in memory, to test the chain writer apart from any database: it keeps rows and archived
/// revisions, refuses duplicate ids and a batch that does not continue its head, and can be made to fail or to lose
/// its head to another writer. Lists are not filtered (only what the writer needs is real).
/// </summary>
internal sealed class MemoryAuditStorage : IAuditStorage
{
    private readonly List<StoredEntry> _rows = [];
    private readonly Dictionary<string, ArchivedRevision> _revisions = new(StringComparer.Ordinal);
    private readonly List<AuditHead> _verifiedPoints = [];
    private readonly Lock _gate = new();

    /// <summary>When set, writes throw <see cref="AuditStoreUnavailableException"/> and keep nothing.</summary>
    public bool FailWrites { get; set; }

    /// <summary>When set, appends of entries fail but archives succeed (a full disk, on which a write of nothing new still commits).</summary>
    public bool FailAppendsOnly { get; set; }

    /// <summary>
    /// When set, the liveness round trip fails as a lost database connection does, while writes still do what the other
    /// settings say (a server that went away and came back between two writes).
    /// </summary>
    public bool FailLiveness { get; set; }

    /// <summary>Number of liveness round trips that reached the store, failed or not.</summary>
    public int LivenessChecks { get; private set; }

    /// <summary>Freezes every write (synchronously, as a frozen file system blocks SQLite) until thawed.</summary>
    public WriteFreeze Freeze { get; } = new();

    /// <summary>The verified points recorded, oldest first.</summary>
    public IReadOnlyList<AuditHead> VerifiedPoints
    {
        get
        {
            lock (_gate)
            {
                return [.. _verifiedPoints];
            }
        }
    }

    /// <summary>Number of append calls that reached the store, failed or not.</summary>
    public int Appends { get; private set; }

    public IReadOnlyList<StoredEntry> Rows
    {
        get
        {
            lock (_gate)
            {
                return [.. _rows];
            }
        }
    }

    /// <summary>Appends a row as another writer (or someone with the file) would, bypassing every check.</summary>
    public void Inject(StoredEntry row)
    {
        lock (_gate)
        {
            _rows.Add(row);
        }
    }

    /// <summary>Replaces the row at <paramref name="sequence"/>, as someone with the file could.</summary>
    public void Replace(long sequence, Func<StoredEntry, StoredEntry> change)
    {
        lock (_gate)
        {
            var i = _rows.FindIndex(r => r.Sequence == sequence);
            _rows[i] = change(_rows[i]);
        }
    }

    public Task AppendAsync(IReadOnlyList<StoredEntry> entries, CancellationToken cancellationToken = default)
    {
        Freeze.Block();
        lock (_gate)
        {
            Appends++;
            if (FailWrites || FailAppendsOnly)
            {
                throw new AuditStoreUnavailableException("disk full (injected)");
            }

            var head = _rows.Count == 0 ? AuditHead.Empty : new AuditHead(_rows[^1].Sequence, _rows[^1].EntryHash);
            if (entries[0].Sequence != head.Size + 1 || entries[0].PrevHash != head.HeadHash)
            {
                throw new AuditStoreUnavailableException($"the head is at {head.Size}");
            }

            var duplicates = entries.Where(e => _rows.Any(r => r.EntryId == e.EntryId)).Select(e => e.EntryId).ToList();
            if (duplicates.Count > 0)
            {
                throw new DuplicateEntryException(duplicates);
            }

            _rows.AddRange(entries);
            return Task.CompletedTask;
        }
    }

    public Task ArchiveRevisionAsync(ArchivedRevision revision, CancellationToken cancellationToken = default)
    {
        Freeze.Block();
        lock (_gate)
        {
            if (FailWrites)
            {
                throw new AuditStoreUnavailableException("disk full (injected)");
            }

            _revisions.TryAdd(
                revision.Identity.Revision,
                revision with { FileDigests = revision.Files.ToDictionary(f => f.Path, f => ArchivedRevision.DigestOf(f.Content), StringComparer.Ordinal) });
            return Task.CompletedTask;
        }
    }

    public Task<IReadOnlyList<string>> ListRevisionsAsync(CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            return Task.FromResult<IReadOnlyList<string>>([.. _revisions.Keys.Order(StringComparer.Ordinal)]);
        }
    }

    public Task CheckLivenessAsync(CancellationToken cancellationToken = default)
    {
        Freeze.Block();
        lock (_gate)
        {
            LivenessChecks++;
            return FailLiveness ? Task.FromException(new AuditStoreUnavailableException("the connection was lost (injected)")) : Task.CompletedTask;
        }
    }

    public Task<AuditHead?> GetVerifiedPointAsync(CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            return Task.FromResult(_verifiedPoints.Count == 0 ? null : _verifiedPoints[^1]);
        }
    }

    public Task RecordVerifiedPointAsync(AuditHead point, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            if (FailWrites)
            {
                throw new AuditStoreUnavailableException("disk full (injected)");
            }

            if (_verifiedPoints.Count == 0 || point.Size > _verifiedPoints[^1].Size)
            {
                _verifiedPoints.Add(point);
            }

            return Task.CompletedTask;
        }
    }

    public Task<bool> IsRevisionArchivedAsync(string revision, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            return Task.FromResult(_revisions.ContainsKey(revision));
        }
    }

    public Task<StoredEntry?> GetAsync(string entryId, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            return Task.FromResult(_rows.FirstOrDefault(r => r.EntryId == entryId));
        }
    }

    public Task<EntryPage> ListAsync(EntryFilter filter, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            return Task.FromResult(new EntryPage([.. _rows.Where(r => filter.Kind is null || r.Kind == filter.Kind)], null));
        }
    }

    public Task<ArchivedRevision?> GetRevisionAsync(string revision, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            return Task.FromResult(_revisions.GetValueOrDefault(revision));
        }
    }

    public Task<AuditHead> HeadAsync(CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            return Task.FromResult(_rows.Count == 0 ? AuditHead.Empty : new AuditHead(_rows[^1].Sequence, _rows[^1].EntryHash));
        }
    }

    public async IAsyncEnumerable<StoredEntry> ReadRangeAsync(long fromSequence, int count, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await Task.Yield();
        foreach (var row in Rows.Where(r => r.Sequence >= fromSequence).Take(count))
        {
            yield return row;
        }
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
