using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using SafetyCheck.Audit.Json;
using SafetyCheck.Audit.Storage;
using SafetyCheck.Core.Rules;

namespace SafetyCheck.Audit.Chain;

/// <summary>
/// Appends entries to the chain a store owns, whatever the store (<see cref="IAuditStorage"/>):
/// <list type="bullet">
/// <item>A single writer task drains a bounded queue and appends everything queued (up to
/// <see cref="AuditChainWriterOptions.MaxBatchSize"/>) in one store write — one fsync for many records (group commit) —
/// then completes each caller. It alone places entries (sequence, previous hash) and hashes their canonical records, so
/// the chain has no races.</item>
/// <item>No receipt without a committed record: <see cref="AppendAsync"/> completes only after the store's write
/// returned. If a write fails, every caller in it gets an <see cref="AuditStoreUnavailableException"/>, the store kept
/// nothing, and the writer reads the head again so the next entry links to what is durable.</item>
/// <item>An entry naming a rule revision is refused until that revision is archived (<see cref="ArchiveRevisionAsync(RuleSet, CancellationToken)"/>),
/// so every decision can be replayed. An entry id already stored fails that caller alone.</item>
/// <item><see cref="Health"/> records whether the last write failed; an archive of an archived revision is a cheap
/// probe that clears it once the store works again.</item>
/// </list>
/// Thread-safe. Dispose to commit what is queued and refuse further appends; the store is the caller's to dispose.
/// </summary>
public sealed class AuditChainWriter : IAsyncDisposable
{
    private readonly IAuditStorage _storage;
    private readonly AuditChainWriterOptions _options;
    private readonly ILogger _log;
    private readonly Channel<PendingWrite> _queue;
    private readonly HashSet<string> _archived = new(StringComparer.Ordinal);
    private readonly CanonicalJsonWriter _json = new();
    private readonly Task _writerTask;
    private AuditHead? _head;
    private int _disposed;

    private AuditChainWriter(IAuditStorage storage, AuditChainWriterOptions options, AuditHead head, ILogger log)
    {
        _storage = storage;
        _options = options;
        _log = log;
        _head = head;
        Health = new AuditWriterHealth(log);
        _queue = Channel.CreateBounded<PendingWrite>(new BoundedChannelOptions(options.QueueCapacity)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
        _writerTask = Task.Run(RunWriterAsync);
    }

    /// <summary>Whether the last write failed.</summary>
    public AuditWriterHealth Health { get; }

    /// <summary>
    /// Reads the head of <paramref name="storage"/>'s chain, checks its last entry (hash, sequence, link to the one
    /// before) and starts the writer.
    /// </summary>
    /// <exception cref="AuditStoreUnavailableException">The store cannot be read, or its last entry does not verify: appending
    /// to a damaged chain would hide the damage.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    public static async Task<AuditChainWriter> StartAsync(
        IAuditStorage storage,
        AuditChainWriterOptions? options = null,
        ILogger<AuditChainWriter>? logger = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(storage);
        options ??= new AuditChainWriterOptions();
        options.Validate();
        var head = await VerifiedHeadAsync(storage, cancellationToken).ConfigureAwait(false);
        return new AuditChainWriter(storage, options, head, (ILogger?)logger ?? NullLogger.Instance);
    }

    /// <summary>
    /// Appends <paramref name="entry"/> and completes only once it is durable. A cancelled call may still have been
    /// committed.
    /// </summary>
    /// <exception cref="AuditStoreUnavailableException">The record could not be made durable, or the writer is closed.</exception>
    /// <exception cref="InvalidOperationException">The entry id is already recorded, or the entry's revision was never archived.</exception>
    /// <exception cref="ArgumentException">The entry has no canonical form (e.g. a lone surrogate in a string).</exception>
    public async Task<AuditReceipt> AppendAsync(IAuditEntry entry, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entry);
        ArgumentException.ThrowIfNullOrEmpty(entry.EntryId);
        var pending = new PendingWrite(entry, null, cancellationToken);
        await EnqueueAsync(pending, cancellationToken).ConfigureAwait(false);
        var receipt = await pending.Completion.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        return receipt!;
    }

    /// <summary>Archives every file of <paramref name="ruleSet"/> under its revision; a revision already archived is left as it is.</summary>
    /// <exception cref="ArgumentException">The files do not hash to the rule set's revision.</exception>
    /// <exception cref="AuditStoreUnavailableException">The archive could not be made durable, or the writer is closed.</exception>
    public Task ArchiveRevisionAsync(RuleSet ruleSet, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(ruleSet);
        return ArchiveRevisionAsync(ArchivedRevision.Of(ruleSet), cancellationToken);
    }

    /// <inheritdoc cref="ArchiveRevisionAsync(RuleSet, CancellationToken)"/>
    public async Task ArchiveRevisionAsync(ArchivedRevision revision, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(revision);
        if (RevisionHasher.Compute(revision.Files) != revision.Identity.Revision)
        {
            throw new ArgumentException($"The rule set's files do not hash to its revision {revision.Identity.Revision}.", nameof(revision));
        }

        var pending = new PendingWrite(null, revision, cancellationToken);
        await EnqueueAsync(pending, cancellationToken).ConfigureAwait(false);
        await pending.Completion.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// One write through the writer (archiving <paramref name="ruleSet"/> again, which changes nothing once it is
    /// archived): true when the store accepts writes. Clears <see cref="Health"/> on success.
    /// </summary>
    public async Task<bool> ProbeAsync(RuleSet ruleSet, CancellationToken cancellationToken = default)
    {
        try
        {
            await ArchiveRevisionAsync(ruleSet, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (AuditStoreUnavailableException)
        {
            return false;
        }
    }

    /// <summary>Stops accepting writes and commits everything already queued.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        _queue.Writer.TryComplete();
        await _writerTask.ConfigureAwait(false);
        _json.Dispose();
    }

    private static async Task<AuditHead> VerifiedHeadAsync(IAuditStorage storage, CancellationToken cancellationToken)
    {
        var head = await storage.HeadAsync(cancellationToken).ConfigureAwait(false);
        if (head.Size == 0)
        {
            return AuditHead.Empty;
        }

        var rows = new List<StoredEntry>(2);
        await foreach (var row in storage.ReadRangeAsync(Math.Max(1, head.Size - 1), 2, cancellationToken).ConfigureAwait(false))
        {
            rows.Add(row);
        }

        var last = rows.Count > 0 ? rows[^1] : null;
        var (expectedSequence, expectedPrev) = rows.Count == 2 ? (rows[0].Sequence + 1, rows[0].EntryHash) : (1L, AuditHead.GenesisHash);
        var problem = last is null || last.Sequence != head.Size ? "the head record cannot be read"
            : last.Sequence != expectedSequence ? $"expected sequence {expectedSequence} before it"
            : !ChainHash.IsIntact(last) ? "the record does not hash to its entry_hash"
            : !string.Equals(last.PrevHash, expectedPrev, StringComparison.Ordinal) ? "its prev_hash is not the entry hash of the record before it"
            : !string.Equals(last.EntryHash, head.HeadHash, StringComparison.Ordinal) ? "the head hash differs from the record's"
            : null;
        return problem is null
            ? head
            : throw new AuditStoreUnavailableException(
                $"the audit chain does not verify at its tail (sequence {head.Size}: {problem}); run 'audit verify' and investigate before appending");
    }

    private async Task EnqueueAsync(PendingWrite pending, CancellationToken cancellationToken)
    {
        try
        {
            await _queue.Writer.WriteAsync(pending, cancellationToken).ConfigureAwait(false);
        }
        catch (ChannelClosedException ex)
        {
            var closed = new AuditStoreUnavailableException("the audit store is closed", ex);
            Health.Failed(closed);
            throw closed;
        }
    }

    private async Task RunWriterAsync()
    {
        var reader = _queue.Reader;
        var batch = new List<PendingWrite>(_options.MaxBatchSize);
        try
        {
            while (await reader.WaitToReadAsync().ConfigureAwait(false))
            {
                batch.Clear();
                while (batch.Count < _options.MaxBatchSize && reader.TryRead(out var pending))
                {
                    if (pending.CancellationToken.IsCancellationRequested)
                    {
                        pending.Completion.TrySetCanceled(pending.CancellationToken);
                    }
                    else
                    {
                        batch.Add(pending);
                    }
                }

                await WriteBatchAsync(batch).ConfigureAwait(false);
            }
        }
        catch (Exception ex)
        {
            // Not expected (each write catches what the store throws); never leave a caller waiting.
            var failure = new AuditStoreUnavailableException("the audit writer stopped: " + ex.Message, ex);
            Health.Failed(failure);
            _queue.Writer.TryComplete(failure);
            foreach (var pending in batch)
            {
                pending.Completion.TrySetException(failure);
            }

            while (reader.TryRead(out var pending))
            {
                pending.Completion.TrySetException(failure);
            }
        }
    }

    /// <summary>Writes the queued items in order: runs of entries as one append each, archives on their own.</summary>
    private async Task WriteBatchAsync(List<PendingWrite> batch)
    {
        var run = new List<PendingWrite>(batch.Count);
        foreach (var pending in batch)
        {
            if (pending.Entry is not null)
            {
                run.Add(pending);
                continue;
            }

            await AppendRunAsync(run).ConfigureAwait(false);
            run.Clear();
            await ArchiveAsync(pending).ConfigureAwait(false);
        }

        await AppendRunAsync(run).ConfigureAwait(false);
    }

    private async Task ArchiveAsync(PendingWrite pending)
    {
        var revision = pending.Revision!;
        try
        {
            await _storage.ArchiveRevisionAsync(revision).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            var failure = Unavailable("the rule revision could not be archived", ex);
            pending.Completion.TrySetException(failure);
            return;
        }

        _archived.Add(revision.Identity.Revision);
        Health.Succeeded();
        pending.Completion.TrySetResult(null);
    }

    /// <summary>Places, hashes and appends <paramref name="run"/>; entries refused as duplicates fail alone and the rest are appended again.</summary>
    private async Task AppendRunAsync(List<PendingWrite> run)
    {
        while (run.Count > 0)
        {
            var rows = new List<StoredEntry>(run.Count);
            var placed = new List<PendingWrite>(run.Count);
            try
            {
                await CheckRevisionsArchivedAsync(run).ConfigureAwait(false);
                var head = _head ??= await _storage.HeadAsync().ConfigureAwait(false);
                var ids = new HashSet<string>(StringComparer.Ordinal);
                foreach (var pending in run)
                {
                    if (Place(pending, head, ids) is { } row)
                    {
                        rows.Add(row);
                        placed.Add(pending);
                        head = new AuditHead(row.Sequence, row.EntryHash);
                    }
                }

                if (rows.Count == 0)
                {
                    return;
                }

                var started = System.Diagnostics.Stopwatch.GetTimestamp();
                await _storage.AppendAsync(rows).ConfigureAwait(false);
                AuditCommitMetrics.Committed(rows.Count, started);
                _head = head;
            }
            catch (DuplicateEntryException ex) when (placed.Any(p => ex.EntryIds.Contains(p.Entry!.EntryId, StringComparer.Ordinal)))
            {
                // The store kept nothing: the entries it named fail, the rest are placed again from the same head.
                Health.Succeeded();
                var remaining = new List<PendingWrite>(placed.Count);
                foreach (var pending in placed)
                {
                    if (ex.EntryIds.Contains(pending.Entry!.EntryId, StringComparer.Ordinal))
                    {
                        pending.Completion.TrySetException(AlreadyRecorded(pending.Entry.EntryId, ex));
                    }
                    else
                    {
                        remaining.Add(pending);
                    }
                }

                run = remaining;
                continue;
            }
            catch (Exception ex)
            {
                _head = null;
                FailAll(run, Unavailable("the audit record could not be committed", ex));
                return;
            }

            Health.Succeeded();
            for (var i = 0; i < rows.Count; i++)
            {
                placed[i].Completion.TrySetResult(new AuditReceipt((ulong)rows[i].Sequence, rows[i].EntryHash));
            }

            return;
        }
    }

    /// <summary>Fails the entries whose revision the store has not archived (asking the store once per revision not yet seen).</summary>
    private async Task CheckRevisionsArchivedAsync(List<PendingWrite> run)
    {
        foreach (var pending in run)
        {
            if (pending.Entry!.Revision is { } revision && !_archived.Contains(revision))
            {
                if (await _storage.IsRevisionArchivedAsync(revision).ConfigureAwait(false))
                {
                    _archived.Add(revision);
                }
                else
                {
                    pending.Completion.TrySetException(new InvalidOperationException(
                        $"Revision {revision} is not archived; archive a rule set before recording its decisions."));
                }
            }
        }
    }

    /// <summary>The row of <paramref name="pending"/> placed after <paramref name="head"/>, or null when it failed on its own.</summary>
    private StoredEntry? Place(PendingWrite pending, AuditHead head, HashSet<string> ids)
    {
        var entry = pending.Entry!;
        if (pending.Completion.Task.IsCompleted)
        {
            return null;
        }

        if (!ids.Add(entry.EntryId))
        {
            pending.Completion.TrySetException(AlreadyRecorded(entry.EntryId, null));
            return null;
        }

        var sequence = head.Size + 1;
        try
        {
            _json.Reset();
            entry.WriteRecord(_json, sequence, head.HeadHash);
        }
        catch (ArgumentException ex)
        {
            pending.Completion.TrySetException(ex);
            return null;
        }

        return new StoredEntry(
            sequence, entry.Kind, entry.EntryId, AuditTime.Write(entry.RecordedAt), entry.Verdict, entry.Revision, entry.RuleIds,
            _json.ToString(), head.HeadHash, _json.Sha256Hex());
    }

    private AuditStoreUnavailableException Unavailable(string what, Exception ex)
    {
        var failure = new AuditStoreUnavailableException($"{what}: {ex.Message}", ex);
        Health.Failed(failure);
        ChainWriterLog.WriteFailed(_log, ex, failure.Message);
        return failure;
    }

    private static InvalidOperationException AlreadyRecorded(string entryId, Exception? inner) =>
        new($"Entry {entryId} is already recorded.", inner);

    private static void FailAll(List<PendingWrite> writes, Exception failure)
    {
        foreach (var pending in writes)
        {
            pending.Completion.TrySetException(failure);
        }
    }

    private sealed class PendingWrite(IAuditEntry? entry, ArchivedRevision? revision, CancellationToken cancellationToken)
    {
        public IAuditEntry? Entry { get; } = entry;

        public ArchivedRevision? Revision { get; } = revision;

        public CancellationToken CancellationToken { get; } = cancellationToken;

        public TaskCompletionSource<AuditReceipt?> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
