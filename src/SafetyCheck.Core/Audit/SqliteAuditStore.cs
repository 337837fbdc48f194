using System.Text.Json.Nodes;
using System.Threading.Channels;
using Microsoft.Data.Sqlite;
using SafetyCheck.Core.Domain;
using SafetyCheck.Core.Rules;

namespace SafetyCheck.Core.Audit;

/// <summary>
/// The embedded audit store: one SQLite file in WAL mode with <c>synchronous=FULL</c>, owned by one process.
/// <list type="bullet">
/// <item>A single writer task drains a bounded queue and commits everything queued (up to
/// <see cref="SqliteAuditStoreOptions.MaxBatchSize"/>) in one transaction — one fsync for many records — then completes
/// each caller. It alone assigns sequences and computes hashes, so the chain has no races.</item>
/// <item>If a transaction fails, every caller in it gets an <see cref="AuditStoreUnavailableException"/>, nothing of it is
/// kept, and the writer reloads the head from the database so that the next record links to what is durable.</item>
/// <item>Opening takes <c>&lt;db&gt;.lock</c> exclusively for the store's lifetime (a second store on the same file, in
/// this or another process, is refused) and verifies the last record and its link before accepting appends.</item>
/// <item>Reads use their own read-only connections (see <see cref="SqliteAuditReader"/>) and never wait for the writer.</item>
/// </list>
/// Thread-safe. Dispose to drain the queue, close the database and release the lock.
/// </summary>
public sealed class SqliteAuditStore : IAuditStore
{
    private const int SqliteConstraint = 19;

    private readonly SqliteAuditStoreOptions _options;
    private readonly FileStream _lockFile;
    private readonly SqliteConnection _connection;
    private readonly SqliteAuditReader _reader;
    private readonly Channel<PendingWrite> _queue;
    private readonly HashSet<string> _archived;
    private readonly Task _writerTask;
    private SqliteCommand? _insertDecision;
    private AuditHead? _head;
    private int _disposed;

    private SqliteAuditStore(string path, SqliteAuditStoreOptions options, FileStream lockFile, SqliteConnection connection, AuditHead head, HashSet<string> archived, IReadOnlyList<string> restoredTriggers)
    {
        DatabasePath = path;
        RestoredTriggers = restoredTriggers;
        _options = options;
        _lockFile = lockFile;
        _connection = connection;
        _head = head;
        _archived = archived;
        _reader = new SqliteAuditReader(path, options.BusyTimeout);
        _queue = Channel.CreateBounded<PendingWrite>(new BoundedChannelOptions(options.QueueCapacity)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
        _writerTask = Task.Run(RunWriterAsync);
    }

    /// <summary>Absolute path of the database file.</summary>
    public string DatabasePath { get; }

    /// <summary>
    /// Append-only triggers that were missing when the store opened and were created again: someone with file access
    /// dropped them. Log it and run a verification; empty normally.
    /// </summary>
    public IReadOnlyList<string> RestoredTriggers { get; }

    /// <summary>The lock file held while the store is open: <c>&lt;db&gt;.lock</c>.</summary>
    public static string LockPathFor(string databasePath) => Path.GetFullPath(databasePath) + ".lock";

    /// <summary>
    /// Opens (creating when missing) the audit database at <paramref name="databasePath"/>, takes its lock file,
    /// creates the schema and triggers, verifies the last record and starts the writer.
    /// </summary>
    /// <exception cref="AuditStoreUnavailableException">Another store holds the lock, the file cannot be opened or switched to
    /// WAL, its schema is newer than this code, or its last record does not verify.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    public static SqliteAuditStore Open(string databasePath, SqliteAuditStoreOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(databasePath);
        options ??= new SqliteAuditStoreOptions();
        options.Validate();
        var path = Path.GetFullPath(databasePath);
        var lockPath = LockPathFor(path);
        FileStream lockFile;
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            lockFile = new FileStream(lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new AuditStoreUnavailableException($"the audit database {path} is in use by another process or cannot be locked ({lockPath}): {ex.Message}", ex);
        }

        SqliteConnection? connection = null;
        try
        {
            connection = SqliteAuditDatabase.Open(
                SqliteAuditDatabase.ConnectionString(path, SqliteOpenMode.ReadWriteCreate, options.BusyTimeout), options.BusyTimeout, writable: true);
            var restoredTriggers = EnsureSchema(connection);
            var head = LoadVerifiedHead(connection);
            var archived = LoadArchivedRevisions(connection);
            return new SqliteAuditStore(path, options, lockFile, connection, head, archived, restoredTriggers);
        }
        catch (Exception ex)
        {
            connection?.Dispose();
            lockFile.Dispose();
            if (ex is SqliteException or IOException)
            {
                throw new AuditStoreUnavailableException($"the audit database {path} cannot be opened: {ex.Message}", ex);
            }

            throw;
        }
    }

    /// <inheritdoc/>
    public async Task<AuditReceipt> AppendAsync(DecisionRecordDraft draft, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(draft);
        DecisionRecordFactory.ValidateDecisionId(draft.DecisionId);
        var pending = new PendingWrite(draft, null, cancellationToken);
        await EnqueueAsync(pending, cancellationToken).ConfigureAwait(false);
        var receipt = await pending.Completion.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        return receipt!;
    }

    /// <inheritdoc/>
    public async Task ArchiveRevisionAsync(RuleSet ruleSet, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(ruleSet);
        if (RevisionHasher.Compute(ruleSet.Files) != ruleSet.Identity.Revision)
        {
            throw new ArgumentException($"The rule set's files do not hash to its revision {ruleSet.Identity.Revision}.", nameof(ruleSet));
        }

        var pending = new PendingWrite(null, ruleSet, cancellationToken);
        await EnqueueAsync(pending, cancellationToken).ConfigureAwait(false);
        await pending.Completion.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public Task<StoredDecision?> GetAsync(string decisionId, CancellationToken cancellationToken = default)
    {
        ThrowIfDisposed();
        return _reader.GetAsync(decisionId, cancellationToken);
    }

    /// <inheritdoc/>
    public Task<DecisionPage> ListAsync(DecisionFilter filter, CancellationToken cancellationToken = default)
    {
        ThrowIfDisposed();
        return _reader.ListAsync(filter, cancellationToken);
    }

    /// <inheritdoc/>
    public IAsyncEnumerable<StoredDecision> ReadRangeAsync(long fromSequence, int count, CancellationToken cancellationToken = default)
    {
        ThrowIfDisposed();
        return _reader.ReadRangeAsync(fromSequence, count, cancellationToken);
    }

    /// <inheritdoc/>
    public Task<IReadOnlyList<RuleSetFile>?> GetRevisionFilesAsync(string revision, CancellationToken cancellationToken = default)
    {
        ThrowIfDisposed();
        return _reader.GetRevisionFilesAsync(revision, cancellationToken);
    }

    /// <inheritdoc/>
    public Task<AuditHead> HeadAsync(CancellationToken cancellationToken = default)
    {
        ThrowIfDisposed();
        return _reader.HeadAsync(cancellationToken);
    }

    /// <summary>Stops accepting writes, commits everything already queued, closes the database and releases the lock.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        _queue.Writer.TryComplete();
        await _writerTask.ConfigureAwait(false);
        _insertDecision?.Dispose();
        await _connection.DisposeAsync().ConfigureAwait(false);
        await _lockFile.DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>Creates what is missing of the schema; returns the triggers an existing database had lost.</summary>
    private static List<string> EnsureSchema(SqliteConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA user_version;";
        var version = Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
        if (version > SqliteAuditDatabase.SchemaVersion)
        {
            throw new AuditStoreUnavailableException($"the audit database has schema version {version}; this build knows up to {SqliteAuditDatabase.SchemaVersion}");
        }

        var missing = SqliteAuditDatabase.MissingTriggers(connection);
        command.CommandText = "BEGIN IMMEDIATE;" + SqliteAuditDatabase.Ddl + $"PRAGMA user_version = {SqliteAuditDatabase.SchemaVersion}; COMMIT;";
        command.ExecuteNonQuery();
        return missing;
    }

    private static AuditHead LoadVerifiedHead(SqliteConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {SqliteAuditDatabase.DecisionColumns} FROM decisions ORDER BY sequence DESC LIMIT 2;";
        var rows = new List<StoredDecision>(2);
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                rows.Add(SqliteAuditDatabase.ReadDecision(reader));
            }
        }

        if (rows.Count == 0)
        {
            return AuditHead.Empty;
        }

        var last = rows[0];
        var (expectedSequence, expectedPrev) = rows.Count == 2 ? (rows[1].Sequence + 1, rows[1].EntryHash) : (1L, AuditHead.GenesisHash);
        if (AuditVerifier.CheckEntry(last, expectedSequence, expectedPrev) is { } problem)
        {
            throw new AuditStoreUnavailableException(
                $"the audit chain does not verify at its tail (sequence {problem.Sequence}: {problem.Message}); run 'audit verify' and investigate before appending");
        }

        return new AuditHead(last.Sequence, last.EntryHash);
    }

    private static HashSet<string> LoadArchivedRevisions(SqliteConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT revision FROM revisions;";
        using var reader = command.ExecuteReader();
        var revisions = new HashSet<string>(StringComparer.Ordinal);
        while (reader.Read())
        {
            revisions.Add(reader.GetString(0));
        }

        return revisions;
    }

    private async Task EnqueueAsync(PendingWrite pending, CancellationToken cancellationToken)
    {
        try
        {
            await _queue.Writer.WriteAsync(pending, cancellationToken).ConfigureAwait(false);
        }
        catch (ChannelClosedException ex)
        {
            throw new AuditStoreUnavailableException("the audit store is closed", ex);
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

                if (batch.Count > 0)
                {
                    Commit(batch);
                }
            }
        }
        catch (Exception ex)
        {
            // Not expected (Commit catches what a transaction throws); never leave a caller waiting.
            var failure = new AuditStoreUnavailableException("the audit writer stopped: " + ex.Message, ex);
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

    private void Commit(List<PendingWrite> batch)
    {
        var receipts = new AuditReceipt?[batch.Count];
        var errors = new Exception?[batch.Count];
        try
        {
            var head = _head ??= ReadHead();
            var newlyArchived = new HashSet<string>(StringComparer.Ordinal);
            Execute("BEGIN IMMEDIATE;");
            for (var i = 0; i < batch.Count; i++)
            {
                if (batch[i].RuleSet is { } ruleSet)
                {
                    var revision = ruleSet.Identity.Revision;
                    if (!_archived.Contains(revision) && newlyArchived.Add(revision))
                    {
                        InsertRevision(ruleSet);
                    }

                    continue;
                }

                var draft = batch[i].Draft!;
                if (!_archived.Contains(draft.Ruleset.Revision) && !newlyArchived.Contains(draft.Ruleset.Revision))
                {
                    errors[i] = new InvalidOperationException($"Revision {draft.Ruleset.Revision} is not archived; archive a rule set before recording its decisions.");
                    continue;
                }

                string json;
                try
                {
                    json = DecisionRecordJson.Canonical(draft, head.Size + 1, head.HeadHash);
                }
                catch (ArgumentException ex)
                {
                    errors[i] = ex;
                    continue;
                }

                var hash = DecisionRecordJson.Hash(json);
                try
                {
                    InsertDecision(draft, head.Size + 1, json, head.HeadHash, hash);
                }
                catch (SqliteException ex) when (ex.SqliteErrorCode == SqliteConstraint)
                {
                    // The failed statement alone is undone; the transaction and the rest of the batch go on.
                    errors[i] = new InvalidOperationException($"Decision {draft.DecisionId} is already recorded.", ex);
                    continue;
                }

                head = new AuditHead(head.Size + 1, hash);
                receipts[i] = new AuditReceipt((ulong)head.Size, hash);
            }

            _options.BeforeCommit?.Invoke(batch.Count);
            Execute("COMMIT;");
            _head = head;
            _archived.UnionWith(newlyArchived);
        }
        catch (Exception ex)
        {
            RollBackQuietly();
            _head = TryReadHead();
            var failure = new AuditStoreUnavailableException("the audit record could not be committed: " + ex.Message, ex);
            for (var i = 0; i < batch.Count; i++)
            {
                errors[i] ??= failure;
            }
        }

        for (var i = 0; i < batch.Count; i++)
        {
            if (errors[i] is { } error)
            {
                batch[i].Completion.TrySetException(error);
            }
            else
            {
                batch[i].Completion.TrySetResult(receipts[i]);
            }
        }
    }

    private void InsertDecision(DecisionRecordDraft draft, long sequence, string json, string prevHash, string entryHash)
    {
        if (_insertDecision is null)
        {
            _insertDecision = _connection.CreateCommand();
            _insertDecision.CommandText = $"INSERT INTO decisions ({SqliteAuditDatabase.DecisionColumns}) VALUES ($sequence, $id, $at, $verdict, $revision, $rules, $record, $prev, $hash);";
            foreach (var name in (string[])["$sequence", "$id", "$at", "$verdict", "$revision", "$rules", "$record", "$prev", "$hash"])
            {
                _insertDecision.Parameters.Add(new SqliteParameter { ParameterName = name });
            }
        }

        var p = _insertDecision.Parameters;
        p["$sequence"].Value = sequence;
        p["$id"].Value = draft.DecisionId;
        p["$at"].Value = AuditTime.Write(draft.RecordedAt);
        p["$verdict"].Value = EnumNames.Of(draft.Verdict);
        p["$revision"].Value = draft.Ruleset.Revision;
        p["$rules"].Value = CanonicalJson.Serialize(new JsonArray([.. draft.FiredRuleIds.Select(id => JsonValue.Create(id))]));
        p["$record"].Value = json;
        p["$prev"].Value = prevHash;
        p["$hash"].Value = entryHash;
        _insertDecision.ExecuteNonQuery();
    }

    private void InsertRevision(RuleSet ruleSet)
    {
        using var command = _connection.CreateCommand();
        command.CommandText = "INSERT INTO revisions (revision, name, version) VALUES ($revision, $name, $version);";
        command.Parameters.AddWithValue("$revision", ruleSet.Identity.Revision);
        command.Parameters.AddWithValue("$name", ruleSet.Identity.Name);
        command.Parameters.AddWithValue("$version", ruleSet.Identity.Version);
        command.ExecuteNonQuery();
        command.CommandText = "INSERT INTO revision_files (revision, path, content) VALUES ($revision, $path, $content);";
        var path = command.Parameters.Add("$path", SqliteType.Text);
        var content = command.Parameters.Add("$content", SqliteType.Blob);
        foreach (var file in ruleSet.Files)
        {
            path.Value = file.Path;
            content.Value = file.Content;
            command.ExecuteNonQuery();
        }
    }

    private AuditHead ReadHead()
    {
        using var command = _connection.CreateCommand();
        command.CommandText = "SELECT sequence, entry_hash FROM decisions ORDER BY sequence DESC LIMIT 1;";
        using var reader = command.ExecuteReader();
        return reader.Read() ? new AuditHead(reader.GetInt64(0), reader.GetString(1)) : AuditHead.Empty;
    }

    private AuditHead? TryReadHead()
    {
        try
        {
            return ReadHead();
        }
        catch (SqliteException)
        {
            // Read again before the next batch.
            return null;
        }
    }

    private void RollBackQuietly()
    {
        try
        {
            if (SQLitePCL.raw.sqlite3_get_autocommit(_connection.Handle) == 0)
            {
                Execute("ROLLBACK;");
            }
        }
        catch (SqliteException)
        {
            // SQLite already rolled back (e.g. after an I/O error); nothing of the batch was kept.
        }
    }

    private void Execute(string sql)
    {
        using var command = _connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) == 1, this);

    private sealed class PendingWrite(DecisionRecordDraft? draft, RuleSet? ruleSet, CancellationToken cancellationToken)
    {
        public DecisionRecordDraft? Draft { get; } = draft;

        public RuleSet? RuleSet { get; } = ruleSet;

        public CancellationToken CancellationToken { get; } = cancellationToken;

        public TaskCompletionSource<AuditReceipt?> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
