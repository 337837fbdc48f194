using System.Collections.Concurrent;
using System.Globalization;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using SafetyCheck.Audit.Json;
using SafetyCheck.Audit.Storage;
using SafetyCheck.Audit.Verification;
using SafetyCheck.Core.Rules;

namespace SafetyCheck.Audit.Chain;

/// <summary>
/// Appends entries to the chain a store owns, whatever the store (<see cref="IAuditStorage"/>):
/// <list type="bullet">
/// <item>Starting it verifies the chain after the store's last verified point (<see cref="IVerifiedPointReader.GetVerifiedPointAsync"/>;
/// from sequence 1 when there is none) and refuses a chain that does not verify: nothing is appended to it.</item>
/// <item>A single writer task drains a bounded queue and appends everything queued (up to
/// <see cref="AuditChainWriterOptions.MaxBatchSize"/>) in one store write — one fsync for many records (group commit) —
/// then completes each caller. It alone places entries (sequence, previous hash) and hashes their canonical records, so
/// the chain has no races. The callers of one batch are answered together, in order, by one thread-pool work item (not
/// one each, and never on the writer), so that the writer goes straight on to the next batch; a caller's continuation
/// runs there and must not block, or it delays the callers after it in its batch (the decision pipeline's never do).</item>
/// <item>No receipt without a committed record: <see cref="AppendAsync"/> completes only after the store's write
/// returned. If a write fails, every caller in it gets an <see cref="AuditStoreUnavailableException"/>, the store kept
/// nothing, and the writer reads the head again so the next entry links to what is durable. A caller whose record is
/// not committed within <see cref="AuditChainWriterOptions.CommitStallTimeout"/> gets the same (the record may still
/// be committed later; it was never answered).</item>
/// <item>An entry naming a rule revision is refused until that revision is archived (<see cref="ArchiveRevisionAsync(RuleSet, CancellationToken)"/>),
/// so every decision can be replayed. An entry id already stored fails that caller alone.</item>
/// <item><see cref="Health"/> follows real commits: the first failed or stalled write fails it, the first committed
/// append clears it. With <see cref="AuditChainWriterOptions.OutageEntry"/>, the first commit after failures carries an
/// entry recording the outage, and <see cref="ProbeAsync"/> commits one to learn whether the store works again. When no
/// write has succeeded for <see cref="AuditChainWriterOptions.LivenessInterval"/>, <see cref="CheckLivenessAsync"/> asks
/// the store for a round trip that writes nothing, so that a store failing while idle fails it too.</item>
/// </list>
/// Thread-safe. Close (<see cref="CloseAsync"/>) to commit what is queued and refuse further appends; the store is the
/// caller's to dispose.
/// </summary>
public sealed class AuditChainWriter : IAsyncDisposable
{
    private readonly IAuditStorage _storage;
    private readonly AuditChainWriterOptions _options;
    private readonly TimeProvider _clock;
    private readonly ILogger _log;
    private readonly Channel<PendingWrite> _queue;
    private readonly ConcurrentDictionary<PendingWrite, byte> _outstanding = new();
    private readonly HashSet<string> _archived = new(StringComparer.Ordinal);
    private readonly List<PendingWrite> _settled = [];
    private readonly CanonicalJsonWriter _json = new();
    private readonly Task _writerTask;
    private AuditHead? _head;
    private long _writeStartedAt;
    private AuditOutage? _unrecordedOutage;
    private Task<bool>? _probe;
    private Task<bool>? _liveness;
    private long _lastSucceededAt;

    // The time stated by the entry placed last (the writer's loop only), to notice the clock going back.
    private DateTimeOffset? _lastPlacedAt;
    private int _abandoned;
    private int _disposed;

    /// <summary>How far an entry's time may lie before the previous entry's without a warning (concurrent callers' order).</summary>
    public static readonly TimeSpan ClockStepTolerance = TimeSpan.FromSeconds(60);

    private AuditChainWriter(IAuditStorage storage, AuditChainWriterOptions options, VerificationReport startup, ILogger log)
    {
        _storage = storage;
        _options = options;
        _clock = options.TimeProvider;
        _log = log;
        _head = startup.Head;
        StartupVerification = startup;
        Health = new AuditWriterHealth(log, _clock, options.FailureLogInterval);

        // The start has just read and verified the store: it answered.
        _lastSucceededAt = _clock.GetTimestamp();
        _queue = Channel.CreateBounded<PendingWrite>(new BoundedChannelOptions(options.QueueCapacity)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
        _writerTask = Task.Run(RunWriterAsync);
    }

    /// <summary>Whether the store accepts records, as the last commits showed.</summary>
    public AuditWriterHealth Health { get; }

    /// <summary>What the start verified: the entries after the store's last verified point (all of them when it had none).</summary>
    public VerificationReport StartupVerification { get; }

    /// <summary>
    /// Verifies the chain of <paramref name="storage"/> after its last verified point, records the head it reached as
    /// the new verified point, and starts the writer.
    /// </summary>
    /// <exception cref="AuditStoreUnavailableException">The store cannot be read, or the chain does not verify after its
    /// verified point: appending to a damaged chain would hide the damage. The message is one line naming the sequence.</exception>
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
        var point = await storage.GetVerifiedPointAsync(cancellationToken).ConfigureAwait(false);
        var report = await AuditVerifier.VerifyFromAsync(storage, point, cancellationToken).ConfigureAwait(false);
        if (!report.IsValid)
        {
            throw new AuditStoreUnavailableException(
                $"the audit chain does not verify ({report.Message}); nothing is appended to it: run 'safetycheck audit verify' and investigate");
        }

        if (report.Head.Size > (point?.Size ?? 0))
        {
            await storage.RecordVerifiedPointAsync(report.Head, cancellationToken).ConfigureAwait(false);
        }

        return new AuditChainWriter(storage, options, report, (ILogger?)logger ?? NullLogger.Instance);
    }

    /// <summary>
    /// Appends <paramref name="entry"/> and completes only once it is durable. A cancelled or stalled call may still have
    /// been committed.
    /// </summary>
    /// <exception cref="AuditStoreUnavailableException">The record could not be made durable within the stall bound, the
    /// chain is refused, or the writer is closed.</exception>
    /// <exception cref="InvalidOperationException">The entry id is already recorded, or the entry's revision was never archived.</exception>
    /// <exception cref="ArgumentException">The entry has no canonical form (e.g. a lone surrogate in a string).</exception>
    public async Task<AuditReceipt> AppendAsync(IAuditEntry entry, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entry);
        ArgumentException.ThrowIfNullOrEmpty(entry.EntryId);
        ThrowIfRefusedOrStalled();
        var receipt = await SubmitAsync(new PendingWrite(WriteKind.Entry, entry, null, null, cancellationToken), cancellationToken).ConfigureAwait(false);
        return receipt!;
    }

    /// <summary>Archives every file of <paramref name="ruleSet"/> under its revision; a revision already archived is left as it is.</summary>
    /// <exception cref="ArgumentException">The files do not hash to the rule set's revision.</exception>
    /// <exception cref="AuditStoreUnavailableException">The archive could not be made durable within the stall bound, or the writer is closed.</exception>
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

        ThrowIfRefusedOrStalled();
        await SubmitAsync(new PendingWrite(WriteKind.Archive, null, revision, null, cancellationToken), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// True when the store accepts records. While <see cref="Health"/> is failed, commits an outage entry
    /// (<see cref="AuditChainWriterOptions.OutageEntry"/>) — a real record through the same path as decisions — and is
    /// true only when it is durable (which clears the failure). False without an outage entry to commit, while a store
    /// write is stalled, and for a refused chain. Concurrent callers share one probe; it never runs longer than the stall
    /// bound (<paramref name="cancellationToken"/> ends this caller's wait only).
    /// </summary>
    public Task<bool> ProbeAsync(CancellationToken cancellationToken = default)
    {
        if (Health.Refusal is not null)
        {
            return Task.FromResult(false);
        }

        if (Health.Failure is null)
        {
            return Task.FromResult(true);
        }

        if (_options.OutageEntry is null || CheckForStall())
        {
            return Task.FromResult(false);
        }

        return JoinOrStart(ref _probe, RunProbeAsync, cancellationToken);
    }

    /// <summary>
    /// True when the store answers, as far as is known, without writing an entry: at once when a write succeeded within
    /// <see cref="AuditChainWriterOptions.LivenessInterval"/>; otherwise after a round trip to the store through the
    /// writer (<see cref="IAuditStorage.CheckLivenessAsync"/>, run between writes like one, so on the connection writes
    /// use). A round trip that fails marks <see cref="Health"/> failed, as a failed commit does (the head is read again
    /// before the next append), so that only a committed record — a <see cref="ProbeAsync"/> or an append — clears it.
    /// False while <see cref="Health"/> is failed or a store write is stalled; concurrent callers share one round trip,
    /// which never runs longer than the stall bound (<paramref name="cancellationToken"/> ends this caller's wait only).
    /// </summary>
    public Task<bool> CheckLivenessAsync(CancellationToken cancellationToken = default)
    {
        if (Health.Failure is not null || CheckForStall())
        {
            return Task.FromResult(false);
        }

        if (!IsQuiet())
        {
            return Task.FromResult(true);
        }

        return JoinOrStart(ref _liveness, RunLivenessAsync, cancellationToken);
    }

    /// <summary>
    /// Waits for the run in <paramref name="slot"/> when one is going on, else starts one there: concurrent callers share
    /// one run; <paramref name="cancellationToken"/> ends this caller's wait only.
    /// </summary>
    /// <remarks>
    /// The run is published in the slot before it starts, and only by the caller that wins the exchange, which then
    /// starts it: callers that race past a finished run all wait on the winner's, and no second run is queued.
    /// </remarks>
    internal static Task<bool> JoinOrStart(ref Task<bool>? slot, Func<Task<bool>> start, CancellationToken cancellationToken)
    {
        var current = Volatile.Read(ref slot);
        if (current is null || current.IsCompleted)
        {
            var run = new Task<Task<bool>>(start);
            var published = run.Unwrap();
            var seen = Interlocked.CompareExchange(ref slot, published, current);
            if (seen == current)
            {
                // Runs start() on this thread, as a direct call would; its exceptions fault the published task.
                run.RunSynchronously(TaskScheduler.Default);
                current = published;
            }
            else
            {
                current = seen!;
            }
        }

        return current.WaitAsync(cancellationToken);
    }

    private async Task<bool> RunLivenessAsync()
    {
        try
        {
            await SubmitAsync(new PendingWrite(WriteKind.Liveness, null, null, null, CancellationToken.None), CancellationToken.None).ConfigureAwait(false);
            return Health.Failure is null;
        }
        catch (AuditStoreUnavailableException)
        {
            return false;
        }
    }

    /// <summary>True when no store write has succeeded for <see cref="AuditChainWriterOptions.LivenessInterval"/>.</summary>
    private bool IsQuiet() => _clock.GetElapsedTime(Interlocked.Read(ref _lastSucceededAt)) >= _options.LivenessInterval;

    private void Answered() => Interlocked.Exchange(ref _lastSucceededAt, _clock.GetTimestamp());

    private async Task<bool> RunProbeAsync()
    {
        try
        {
            await SubmitAsync(new PendingWrite(WriteKind.Probe, null, null, null, CancellationToken.None), CancellationToken.None).ConfigureAwait(false);
            return Health.Failure is null;
        }
        catch (AuditStoreUnavailableException)
        {
            return false;
        }
    }

    /// <summary>
    /// Records <paramref name="point"/> (a head a full verification found intact) in the store as its verified point,
    /// through the writer so it never races an append.
    /// </summary>
    /// <exception cref="AuditStoreUnavailableException">It could not be made durable within the stall bound, or the writer is closed.</exception>
    public async Task RecordVerifiedPointAsync(AuditHead point, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(point);
        await SubmitAsync(new PendingWrite(WriteKind.VerifiedPoint, null, null, point, cancellationToken), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Refuses the chain for good (a verification found it damaged): nothing more is appended, every append and probe
    /// fails, and <see cref="Health"/> stays failed with <paramref name="reason"/>.
    /// </summary>
    public void Refuse(string reason)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        var failure = new AuditStoreUnavailableException("the audit chain is refused: " + reason);
        Health.Refuse(reason, failure);
        ChainWriterLog.ChainRefused(_log, reason);
        FailOutstanding(failure);
    }

    /// <summary>
    /// Answers every write still waiting with <see cref="AuditStoreUnavailableException"/> at once (the records may still
    /// be committed): shutdown calls this shortly before its bound, so that callers get an answer before their
    /// connections are ended.
    /// </summary>
    public void FailWaiting() =>
        FailOutstanding(new AuditStoreUnavailableException("the service is shutting down and the audit store did not commit the record in time"));

    /// <summary>
    /// Stops accepting writes and commits everything already queued. True when the writer finished; false when
    /// <paramref name="cancellationToken"/> ended the wait first (a store write is stuck): the writes still waiting are
    /// then answered with <see cref="AuditStoreUnavailableException"/> and the writer is abandoned to the process's exit.
    /// </summary>
    public async Task<bool> CloseAsync(CancellationToken cancellationToken = default)
    {
        _queue.Writer.TryComplete();
        try
        {
            await _writerTask.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            if (Interlocked.Exchange(ref _abandoned, 1) == 0)
            {
                ChainWriterLog.CloseAbandoned(_log);
                FailWaiting();
            }

            return false;
        }

        return Volatile.Read(ref _abandoned) == 0;
    }

    /// <summary>Closes the writer (<see cref="CloseAsync"/>); returns at once when it was abandoned.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Volatile.Read(ref _abandoned) == 1 || Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        if (await CloseAsync().ConfigureAwait(false))
        {
            _json.Dispose();
        }
    }

    /// <summary>
    /// True when a store write has been running longer than the stall bound (a frozen file system); <see cref="Health"/>
    /// is then marked failed, so health reports it even before a caller's wait runs out.
    /// </summary>
    public bool CheckForStall()
    {
        if (!IsStalled())
        {
            return false;
        }

        if (Health.Failure is null)
        {
            Health.Failed(Stalled(), 0);
        }

        return true;
    }

    private bool IsStalled()
    {
        var started = Interlocked.Read(ref _writeStartedAt);
        return started != 0 && _clock.GetElapsedTime(started) > _options.CommitStallTimeout;
    }

    private void ThrowIfRefusedOrStalled()
    {
        if (Health.Refusal is not null)
        {
            throw (AuditStoreUnavailableException)Health.Failure!;
        }

        if (IsStalled())
        {
            var stalled = Stalled();
            Health.Failed(stalled, 1);
            throw stalled;
        }
    }

    private AuditStoreUnavailableException Stalled() => new(string.Create(
        CultureInfo.InvariantCulture, $"the audit store did not commit within {_options.CommitStallTimeout.TotalSeconds:0.###} s (stalled)"));

    /// <summary>Queues <paramref name="pending"/> and waits for it, the whole at most the stall bound.</summary>
    private async Task<AuditReceipt?> SubmitAsync(PendingWrite pending, CancellationToken cancellationToken)
    {
        var started = _clock.GetTimestamp();
        _outstanding.TryAdd(pending, 0);
        try
        {
            if (!_queue.Writer.TryWrite(pending))
            {
                await _queue.Writer.WriteAsync(pending, cancellationToken).AsTask()
                    .WaitAsync(_options.CommitStallTimeout, _clock, cancellationToken).ConfigureAwait(false);
            }

            var left = _options.CommitStallTimeout - _clock.GetElapsedTime(started);
            return await pending.Completion.Task.WaitAsync(left > TimeSpan.Zero ? left : TimeSpan.Zero, _clock, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException ex) when (cancellationToken.IsCancellationRequested && pending.Kind is WriteKind.Entry)
        {
            // Only this caller's wait ends: an entry the writer has taken into a batch is committed all the same, one
            // still queued is dropped. The caller may want to know which (a decision counts once it is recorded).
            throw new AppendCancelledException("The wait for the commit was cancelled; the entry may still be committed.", pending.Completion.Task, ex.CancellationToken);
        }
        catch (ChannelClosedException ex)
        {
            if (Health.Refusal is not null)
            {
                throw (AuditStoreUnavailableException)Health.Failure!;
            }

            var closed = new AuditStoreUnavailableException("the audit store is closed", ex);
            pending.Completion.TrySetException(closed);
            Health.Failed(closed, pending.Kind is WriteKind.Entry or WriteKind.Archive ? 1 : 0, quiet: true);
            throw closed;
        }
        catch (TimeoutException)
        {
            // The writer may have settled it already, its answer on the way: that answer stands.
            var stalled = Stalled();
            if (pending.HasWriterAnswer || !pending.Completion.TrySetException(stalled))
            {
                return await pending.Completion.Task.ConfigureAwait(false);
            }

            Health.Failed(stalled, pending.Kind is WriteKind.Entry or WriteKind.Archive ? 1 : 0);
            throw stalled;
        }
        finally
        {
            _outstanding.TryRemove(pending, out _);
        }
    }

    private void FailOutstanding(Exception failure)
    {
        foreach (var pending in _outstanding.Keys)
        {
            pending.Completion.TrySetException(failure);
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
                        SettleCanceled(pending);
                    }
                    else if (!pending.IsSettled)
                    {
                        batch.Add(pending);
                    }
                }

                await WriteBatchAsync(batch).ConfigureAwait(false);
                AnswerSettled();
            }
        }
        catch (Exception ex)
        {
            // Not expected (each write catches what the store throws); never leave a caller waiting.
            var failure = new AuditStoreUnavailableException("the audit writer stopped: " + ex.Message, ex);
            Health.Failed(failure, batch.Count);
            _queue.Writer.TryComplete(failure);
            foreach (var pending in batch)
            {
                Settle(pending, failure);
            }

            while (reader.TryRead(out var pending))
            {
                Settle(pending, failure);
            }

            AnswerSettled();
        }
    }

    /// <summary>
    /// Writes the queued items in order: runs of entries (and probes) as one append each; archives, verified points and
    /// liveness round trips on their own.
    /// </summary>
    private async Task WriteBatchAsync(List<PendingWrite> batch)
    {
        if (Health.Refusal is not null)
        {
            foreach (var pending in batch)
            {
                Settle(pending, Health.Failure!);
            }

            return;
        }

        var run = new List<PendingWrite>(batch.Count);
        foreach (var pending in batch)
        {
            if (pending.Kind is WriteKind.Entry or WriteKind.Probe)
            {
                run.Add(pending);
                continue;
            }

            await AppendRunAsync(run).ConfigureAwait(false);
            run.Clear();
            if (pending.Kind == WriteKind.Archive)
            {
                await ArchiveAsync(pending).ConfigureAwait(false);
            }
            else if (pending.Kind == WriteKind.Liveness)
            {
                await CheckStoreLivenessAsync(pending).ConfigureAwait(false);
            }
            else
            {
                await RecordPointAsync(pending).ConfigureAwait(false);
            }
        }

        await AppendRunAsync(run).ConfigureAwait(false);
    }

    private async Task ArchiveAsync(PendingWrite pending)
    {
        var revision = pending.Revision!;
        try
        {
            await StoreWriteAsync(() => _storage.ArchiveRevisionAsync(revision)).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            Settle(pending, Unavailable("the rule revision could not be archived", ex, 1));
            return;
        }

        // An archive of a revision already there writes nothing, so it does not clear a failure.
        _archived.Add(revision.Identity.Revision);
        Answered();
        Settle(pending, (AuditReceipt?)null);
    }

    /// <summary>
    /// The store's round trip, unless a write has succeeded meanwhile (one queued before it, in this batch or the last)
    /// or a failure is known already (the probe's outage entry, not this, decides when it ends).
    /// </summary>
    private async Task CheckStoreLivenessAsync(PendingWrite pending)
    {
        if (Health.Failure is not null || !IsQuiet())
        {
            Settle(pending, (AuditReceipt?)null);
            return;
        }

        try
        {
            await StoreWriteAsync(() => _storage.CheckLivenessAsync()).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            // The connection may have been lost, and another session may have written the chain before this one holds it
            // again: the head is read again before the next append, as after a failed commit.
            _head = null;
            Settle(pending, Unavailable("the audit store does not answer (checked while idle)", ex, 0));
            return;
        }

        Answered();
        Settle(pending, (AuditReceipt?)null);
    }

    private async Task RecordPointAsync(PendingWrite pending)
    {
        try
        {
            await StoreWriteAsync(() => _storage.RecordVerifiedPointAsync(pending.Point!)).ConfigureAwait(false);
            Answered();
            Settle(pending, (AuditReceipt?)null);
        }
        catch (Exception ex)
        {
            Settle(pending, ex as AuditStoreUnavailableException ?? new AuditStoreUnavailableException(ex.Message, ex));
        }
    }

    /// <summary>
    /// Places, hashes and appends the entries of <paramref name="run"/> (after an outage entry when the last writes
    /// failed); entries refused as duplicates fail alone and the rest are appended again. Probes in the run succeed
    /// when the append does.
    /// </summary>
    private async Task AppendRunAsync(List<PendingWrite> run)
    {
        var probes = run.Where(p => p.Kind == WriteKind.Probe).ToList();
        var entries = run.Where(p => p.Kind == WriteKind.Entry).ToList();
        while (true)
        {
            var outage = OutagePending();
            if (entries.Count == 0 && outage is null)
            {
                CompleteProbes(probes, Health.Failure);
                return;
            }

            List<PendingWrite> writes = outage is null ? entries : [outage, .. entries];
            var rows = new List<StoredEntry>(writes.Count);
            var placed = new List<PendingWrite>(writes.Count);
            try
            {
                await CheckRevisionsArchivedAsync(entries).ConfigureAwait(false);
                var head = _head ??= await _storage.HeadAsync().ConfigureAwait(false);
                var ids = new HashSet<string>(StringComparer.Ordinal);
                foreach (var pending in writes)
                {
                    if (Place(pending, head, ids) is { } row)
                    {
                        rows.Add(row);
                        placed.Add(pending);
                        head = new AuditHead(row.Sequence, row.EntryHash);
                    }
                }

                if (rows.Count == 0 || (placed.All(p => p == outage) && probes.Count == 0))
                {
                    // Nothing a caller waits for is left to commit (an outage entry alone waits for the next write).
                    CompleteProbes(probes, Health.Failure);
                    return;
                }

                var started = System.Diagnostics.Stopwatch.GetTimestamp();
                await StoreWriteAsync(() => _storage.AppendAsync(rows)).ConfigureAwait(false);
                AuditCommitMetrics.Committed(rows.Count, started);
                Answered();
                _head = head;
            }
            catch (DuplicateEntryException ex) when (placed.Any(p => ex.EntryIds.Contains(p.Entry!.EntryId, StringComparer.Ordinal)))
            {
                // The store kept nothing: the entries it named fail, the rest are placed again from the same head.
                foreach (var pending in placed.Where(p => ex.EntryIds.Contains(p.Entry!.EntryId, StringComparer.Ordinal)))
                {
                    Settle(pending, AlreadyRecorded(pending.Entry!.EntryId, ex));
                }

                entries = [.. entries.Where(p => !p.IsSettled)];
                continue;
            }
            catch (Exception ex)
            {
                _head = null;
                var failure = Unavailable("the audit record could not be committed", ex, entries.Count(p => !p.IsSettled));
                FailAll(entries, failure);
                CompleteProbes(probes, failure);
                return;
            }

            var ended = Health.Succeeded();
            if (outage is not null)
            {
                _unrecordedOutage = null;
            }
            else if (ended is not null)
            {
                // Cleared by a write placed before it failed (a stalled commit that completed): record it with the next one.
                _unrecordedOutage = ended;
            }

            for (var i = 0; i < rows.Count; i++)
            {
                Settle(placed[i], new AuditReceipt((ulong)rows[i].Sequence, rows[i].EntryHash));
            }

            CompleteProbes(probes, null);
            return;
        }
    }

    /// <summary>
    /// The outage entry to commit first, when the last writes failed (or an outage ended without one) and the host makes
    /// outage entries.
    /// </summary>
    private PendingWrite? OutagePending()
    {
        if (_options.OutageEntry is not { } make)
        {
            return null;
        }

        var now = _clock.GetUtcNow();
        var outage = Health.Failure is not null ? new AuditOutage(Health.FailedSince ?? now, now, Health.FailedWrites)
            : _unrecordedOutage is { } ended ? ended
            : null;
        return outage is null ? null : new PendingWrite(WriteKind.Entry, make(outage), null, null, CancellationToken.None);
    }

    private void CompleteProbes(List<PendingWrite> probes, Exception? failure)
    {
        foreach (var probe in probes)
        {
            if (failure is null)
            {
                Settle(probe, (AuditReceipt?)null);
            }
            else
            {
                Settle(probe, failure);
            }
        }
    }

    /// <summary>Runs one store write, marking when it started so that appends made while it stalls fail at once.</summary>
    private async Task StoreWriteAsync(Func<Task> write)
    {
        Interlocked.Exchange(ref _writeStartedAt, _clock.GetTimestamp());
        try
        {
            await write().ConfigureAwait(false);
        }
        finally
        {
            Interlocked.Exchange(ref _writeStartedAt, 0);
        }
    }

    /// <summary>Fails the entries whose revision the store has not archived (asking the store once per revision not yet seen).</summary>
    private async Task CheckRevisionsArchivedAsync(List<PendingWrite> entries)
    {
        foreach (var pending in entries)
        {
            if (pending.Entry!.Revision is { } revision && !_archived.Contains(revision) && !pending.IsSettled)
            {
                if (await _storage.IsRevisionArchivedAsync(revision).ConfigureAwait(false))
                {
                    _archived.Add(revision);
                }
                else
                {
                    Settle(pending, new InvalidOperationException(
                        $"Revision {revision} is not archived; archive a rule set before recording its decisions."));
                }
            }
        }
    }

    /// <summary>The row of <paramref name="pending"/> placed after <paramref name="head"/>, or null when it failed on its own.</summary>
    private StoredEntry? Place(PendingWrite pending, AuditHead head, HashSet<string> ids)
    {
        var entry = pending.Entry!;
        if (pending.IsSettled)
        {
            return null;
        }

        if (!ids.Add(entry.EntryId))
        {
            Settle(pending, AlreadyRecorded(entry.EntryId, null));
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
            Settle(pending, ex);
            return null;
        }

        NoteClockStep(sequence, entry.RecordedAt);
        return new StoredEntry(
            sequence, entry.Kind, entry.EntryId, AuditTime.Write(entry.RecordedAt), entry.Verdict, entry.Revision, entry.RuleIds,
            _json.ToString(), head.HeadHash, _json.Sha256Hex());
    }

    /// <summary>
    /// Warns (event 335) when an entry states a time more than <see cref="ClockStepTolerance"/> before the entry placed
    /// before it: the host's clock was set back. Entries made at nearly the same time by concurrent callers are placed
    /// in any order, so small steps back are normal; one line per step, since the next entry compares with this one.
    /// On the writer's loop only.
    /// </summary>
    private void NoteClockStep(long sequence, DateTimeOffset recordedAt)
    {
        if (_lastPlacedAt is { } previous && previous - recordedAt > ClockStepTolerance)
        {
            ChainWriterLog.ClockWentBack(
                _log, sequence, AuditTime.Write(recordedAt), (previous - recordedAt).TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture), AuditTime.Write(previous));
        }

        _lastPlacedAt = recordedAt;
    }

    private AuditStoreUnavailableException Unavailable(string what, Exception ex, int writes)
    {
        var failure = new AuditStoreUnavailableException($"{what}: {ex.Message}", ex);

        // Once abandoned at shutdown, whatever the stuck write finally does is nobody's news.
        if (Volatile.Read(ref _abandoned) == 0)
        {
            Health.Failed(failure, writes);
        }

        return failure;
    }

    private static InvalidOperationException AlreadyRecorded(string entryId, Exception? inner) =>
        new($"Entry {entryId} is already recorded.", inner);

    private void FailAll(List<PendingWrite> writes, Exception failure)
    {
        foreach (var pending in writes)
        {
            Settle(pending, failure);
        }
    }

    /// <summary>Decides the answer of <paramref name="pending"/> (the first decision stands); <see cref="AnswerSettled"/> gives it.</summary>
    private void Settle(PendingWrite pending, AuditReceipt? receipt)
    {
        if (pending.Settle(receipt, null, canceled: false))
        {
            _settled.Add(pending);
        }
    }

    /// <inheritdoc cref="Settle(PendingWrite, AuditReceipt?)"/>
    private void Settle(PendingWrite pending, Exception failure)
    {
        if (pending.Settle(null, failure, canceled: false))
        {
            _settled.Add(pending);
        }
    }

    private void SettleCanceled(PendingWrite pending)
    {
        if (pending.Settle(null, null, canceled: true))
        {
            _settled.Add(pending);
        }
    }

    /// <summary>
    /// Answers the callers settled since the last call, in order, on one thread-pool work item: their continuations
    /// (the rest of each request) run there one after another, not on the writer and not one work item each.
    /// </summary>
    private void AnswerSettled()
    {
        if (_settled.Count == 0)
        {
            return;
        }

        var settled = _settled.ToArray();
        _settled.Clear();
        ThreadPool.UnsafeQueueUserWorkItem(static answered =>
        {
            foreach (var pending in answered)
            {
                pending.Answer();
            }
        }, settled, preferLocal: false);
    }

    private enum WriteKind
    {
        Entry,
        Archive,
        Probe,
        VerifiedPoint,
        Liveness,
    }

    /// <summary>
    /// One queued write and its caller's wait. The writer settles it (receipt, failure or cancellation) and answers later,
    /// off the writer (<see cref="AuditChainWriter.AnswerSettled"/>); a caller that gave up first (stall bound, closed
    /// writer) completes <see cref="Completion"/> itself, and the later answer is ignored. Continuations run where the
    /// answer is given (no forced hop per caller): the writer never gives one itself.
    /// </summary>
    private sealed class PendingWrite(WriteKind kind, IAuditEntry? entry, ArchivedRevision? revision, AuditHead? point, CancellationToken cancellationToken)
    {
        private AuditReceipt? _receipt;
        private Exception? _failure;
        private bool _canceled;
        private int _settled;

        public WriteKind Kind { get; } = kind;

        public IAuditEntry? Entry { get; } = entry;

        public ArchivedRevision? Revision { get; } = revision;

        public AuditHead? Point { get; } = point;

        public CancellationToken CancellationToken { get; } = cancellationToken;

        public TaskCompletionSource<AuditReceipt?> Completion { get; } = new();

        /// <summary>Whether the writer has settled it, or its caller has given up on it.</summary>
        public bool IsSettled => Volatile.Read(ref _settled) != 0 || Completion.Task.IsCompleted;

        /// <summary>Whether the writer has settled it (its answer may not be given yet).</summary>
        public bool HasWriterAnswer => Volatile.Read(ref _settled) != 0;

        /// <summary>Records the answer; false when one was recorded already (the first stands).</summary>
        public bool Settle(AuditReceipt? receipt, Exception? failure, bool canceled)
        {
            if (Interlocked.Exchange(ref _settled, 1) != 0)
            {
                return false;
            }

            (_receipt, _failure, _canceled) = (receipt, failure, canceled);
            return true;
        }

        /// <summary>Completes <see cref="Completion"/> with the settled answer (nothing when the caller gave up first).</summary>
        public void Answer()
        {
            if (_canceled)
            {
                Completion.TrySetCanceled(CancellationToken);
            }
            else if (_failure is not null)
            {
                Completion.TrySetException(_failure);
            }
            else
            {
                Completion.TrySetResult(_receipt);
            }
        }
    }
}
