using System.Globalization;
using Microsoft.Data.Sqlite;
using SafetyCheck.Audit.Files;
using SafetyCheck.Audit.Pseudonyms;
using SafetyCheck.Audit.Storage;
using SafetyCheck.Core.Rules;

namespace SafetyCheck.Audit.Sqlite;

/// <summary>
/// The embedded audit store: one SQLite file in WAL mode with <c>synchronous=FULL</c>, owned by one process. It
/// implements the storage primitives only; <see cref="Chain.AuditChainWriter"/> places, hashes and batches entries.
/// <list type="bullet">
/// <item>Opening takes <c>&lt;db&gt;.lock</c> exclusively for the store's lifetime (a second store on the same file, in
/// this or another process, is refused) and refuses a file that is not an audit trail (not an SQLite database, or one
/// that holds tables but none of the trail's) without changing it. A database that is missing while its <c>-wal</c>,
/// <c>-shm</c> or pseudonym key file is there (it was deleted or moved, or the path is wrong) is refused without
/// creating anything, so a leftover <c>-wal</c> is never taken into a new database. A new (empty) database gets WAL, the schema and its
/// append-only triggers at once. An existing trail is left exactly as found until the first write (or
/// <see cref="PrepareForWrites"/>): only then is it switched to WAL, are dropped triggers restored and an older layout
/// brought to layout 3 (see <see cref="SqliteAuditDatabase"/>), so that a start refused because its chain does not
/// verify changes nothing in the file. A folder, database, lock file (and SQLite's <c>-wal</c> and <c>-shm</c>, which
/// take the database's mode) it creates is owner-only.</item>
/// <item>An append is one <c>BEGIN IMMEDIATE … COMMIT</c> transaction: it checks that the chain's head is where the
/// writer placed the batch, inserts every row, and on any failure rolls back so nothing of the batch is kept.</item>
/// <item>Reads use their own read-only connections (see <see cref="SqliteAuditReader"/>) and never wait for the writer.</item>
/// </list>
/// The write members are called by one writer at a time. Dispose (after the writer) to close the database and release
/// the lock.
/// </summary>
public sealed class SqliteAuditStorage : IAuditStorage, IAuditSummarySource
{
    private readonly SqliteAuditStorageOptions _options;
    private readonly FileStream _lockFile;
    private readonly SqliteConnection _connection;
    private readonly SqliteAuditReader _reader;
    // SQLite's primary result codes for a lock held by another connection (an extended code keeps its primary code in the low byte).
    private const int SqliteBusy = 5;
    private const int SqliteLocked = 6;
    private const int SqliteFull = 13;

    private readonly Lock _gate = new();
    private SqliteCommand? _insertEntry;

    // The statements of every append, prepared once and kept with the connection (under _gate).
    private SqliteCommand? _begin;
    private SqliteCommand? _readHead;
    private SqliteCommand? _commit;
    private int _disposed;

    // False while an existing trail has not been prepared for writes (WAL, schema, triggers); under _gate.
    private bool _prepared;

    // True once a commit was made on the connection, so that SQLite keeps its -wal file until the connection closes; under _gate.
    private bool _committed;

    private SqliteAuditStorage(string path, SqliteAuditStorageOptions options, FileStream lockFile, SqliteConnection connection, IReadOnlyList<string> missingTriggers, bool prepared)
    {
        DatabasePath = path;
        MissingTriggers = missingTriggers;
        _prepared = prepared;
        _options = options;
        _lockFile = lockFile;
        _connection = connection;
        _reader = new SqliteAuditReader(path, options.BusyTimeout, mayReadImmutable: false);
    }

    /// <summary>Absolute path of the database file.</summary>
    public string DatabasePath { get; }

    /// <summary>
    /// Append-only triggers that were missing when the store opened: someone with file access dropped them. They are
    /// created again when the database is prepared for writes (<see cref="PrepareForWrites"/>, or the first write). Log
    /// it and run a verification; empty normally.
    /// </summary>
    public IReadOnlyList<string> MissingTriggers { get; }

    /// <summary>
    /// True when the store found no trail at its path (no file, or an empty one) and created a new, empty trail there.
    /// Log it: after a deploy, it is how a changed path shows.
    /// </summary>
    public bool CreatedNew { get; private init; }

    /// <summary>The layout this build writes (<c>PRAGMA user_version</c>).</summary>
    public const int Layout = SqliteAuditDatabase.SchemaVersion;

    /// <summary>
    /// The layout (1 or 2) the database had before this store brought it to <see cref="Layout"/> when preparing it for
    /// writes (<see cref="PrepareForWrites"/>); null when it had this layout already, or was new. Log it: the change is
    /// one-way (older builds refuse the new layout).
    /// </summary>
    public long? UpgradedFromLayout { get; private set; }

    /// <summary>
    /// False when <see cref="DisposeAsync"/> found a write still running (a frozen file system): the connection was left
    /// to the process's exit rather than closed under it. True otherwise, and before disposal.
    /// </summary>
    public bool ClosedCleanly { get; private set; } = true;

    /// <summary>
    /// The files of a trail that exist beside <paramref name="path"/> (SQLite's <c>-wal</c> and <c>-shm</c>, the
    /// pseudonym key file): found where the database is not, they are what is left of a trail.
    /// </summary>
    private static List<string> LeftoversOf(string path) =>
        [.. ((string[])[path + "-wal", path + "-shm", AuditKeyFile.PathFor(path)]).Where(File.Exists)];

    /// <summary>The lock file held while the store is open: <c>&lt;db&gt;.lock</c>.</summary>
    public static string LockPathFor(string databasePath) => Path.GetFullPath(databasePath) + ".lock";

    /// <summary>
    /// Opens (creating when missing) the audit database at <paramref name="databasePath"/> and takes its lock file. A new
    /// database gets the schema at once; an existing trail is prepared for writes later (<see cref="PrepareForWrites"/>).
    /// </summary>
    /// <exception cref="AuditStoreUnavailableException">Another store holds the lock, the file cannot be opened or switched to
    /// WAL, it is not an audit trail, or its schema is newer than this code.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    public static SqliteAuditStorage Open(string databasePath, SqliteAuditStorageOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(databasePath);
        options ??= new SqliteAuditStorageOptions();
        options.Validate();
        var path = Path.GetFullPath(databasePath);
        var lockPath = LockPathFor(path);
        if (!File.Exists(path) && LeftoversOf(path) is { Count: > 0 } leftovers)
        {
            // The database was deleted or moved, or the path is not the trail's: a new database here would start a new
            // trail, and SQLite would take (or reset) a -wal file that holds the trail's last committed records.
            throw new AuditStoreUnavailableException(
                $"the audit database {path} does not exist, but files of a trail there do ({string.Join(", ", leftovers)}): restore the database to {path}, or, if a new trail is intended, move those files away; nothing was changed");
        }

        FileStream lockFile;
        try
        {
            PrivateFiles.CreateParentDirectory(path);
            lockFile = PrivateFiles.Open(lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (UnauthorizedAccessException ex)
        {
            throw new AuditStoreUnavailableException(
                $"cannot open the lock file {lockPath}: permission denied: the service's user needs write access to the directory {Path.GetDirectoryName(path)} (and to the lock file, if it exists)", ex);
        }
        catch (IOException ex)
        {
            throw new AuditStoreUnavailableException($"the audit database {path} is in use by another process or cannot be locked ({lockPath}): {ex.Message}", ex);
        }

        SqliteConnection? connection = null;
        try
        {
            // An empty file is a new database to SQLite; made here, it is owner-only whatever the umask, and SQLite
            // gives the -wal and -shm files it creates the database's mode.
            PrivateFiles.EnsureFile(path);
            connection = SqliteAuditDatabase.Open(
                SqliteAuditDatabase.ConnectionString(path, SqliteOpenMode.ReadWriteCreate, options.BusyTimeout), options.BusyTimeout);
            var version = SchemaVersionOf(connection);
            var tables = SqliteAuditDatabase.UserTables(connection);
            if (tables.Count == 0 && version == 0)
            {
                // Nothing to keep as found: a new database is made ready now.
                _ = Prepare(connection);
                return new SqliteAuditStorage(path, options, lockFile, connection, [], prepared: true) { CreatedNew = true };
            }

            if (SqliteAuditDatabase.NotAnAuditTrail(path, tables) is { } notATrail)
            {
                throw new AuditStoreUnavailableException($"{notATrail}; it was left as it is (give --audit-db a new file, or an audit trail)");
            }

            return new SqliteAuditStorage(path, options, lockFile, connection, SqliteAuditDatabase.MissingTriggers(connection), prepared: false);
        }
        catch (Exception ex)
        {
            connection?.Dispose();
            lockFile.Dispose();
            if (ex is SqliteException { SqliteErrorCode: SqliteAuditDatabase.NotADatabase })
            {
                throw new AuditStoreUnavailableException($"{path} is not an audit trail: it is not an SQLite database; it was left as it is", ex);
            }

            if (ex is SqliteException or IOException or UnauthorizedAccessException)
            {
                throw new AuditStoreUnavailableException($"the audit database {path} cannot be opened: {ex.Message}", ex);
            }

            throw;
        }
    }

    /// <summary>
    /// Makes an existing trail ready for writes, once: switches it to WAL, restores dropped append-only triggers
    /// (<see cref="MissingTriggers"/>) and brings an older layout to layout 3. Every write does this first; the service
    /// calls it when its start verification has passed, so that a start refused because the chain does not verify leaves
    /// the file as it found it.
    /// </summary>
    /// <exception cref="AuditStoreUnavailableException">It could not switch to WAL, the layout could not be brought up to
    /// date, or the store is closed.</exception>
    public void PrepareForWrites()
    {
        ThrowIfClosed();
        lock (_gate)
        {
            ThrowIfClosed();
            EnsurePrepared();
        }
    }

    /// <summary>Prepares the database for writes unless it is; under <see cref="_gate"/>.</summary>
    private void EnsurePrepared()
    {
        if (_prepared)
        {
            return;
        }

        try
        {
            UpgradedFromLayout = Prepare(_connection);
        }
        catch (SqliteException ex)
        {
            throw new AuditStoreUnavailableException($"the audit database {DatabasePath} could not be prepared for writes: {Reason(ex)}", ex);
        }

        _prepared = true;
    }

    /// <summary>WAL, then the schema; the layout the database had when it was older than this build's, else null.</summary>
    private static long? Prepare(SqliteConnection connection)
    {
        SqliteAuditDatabase.SwitchToWal(connection);
        return EnsureSchema(connection);
    }

    private static long SchemaVersionOf(SqliteConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA user_version;";
        var version = Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture);
        return version > SqliteAuditDatabase.SchemaVersion
            ? throw new AuditStoreUnavailableException($"the audit database has schema version {version}; this build knows up to {SqliteAuditDatabase.SchemaVersion}: run a build that knows it, or restore the backup taken before the upgrade")
            : version;
    }

    /// <inheritdoc/>
    public Task AppendAsync(IReadOnlyList<StoredEntry> entries, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entries);
        ThrowIfClosed();
        if (entries.Count == 0)
        {
            return Task.CompletedTask;
        }

        lock (_gate)
        {
            ThrowIfClosed();
            return Prepared(() => Append(entries));
        }
    }

    /// <inheritdoc/>
    public Task ArchiveRevisionAsync(ArchivedRevision revision, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(revision);
        ThrowIfClosed();
        lock (_gate)
        {
            ThrowIfClosed();
            return Prepared(() => Archive(revision));
        }
    }

    /// <summary>
    /// That the store is open and its path still names the file it holds open (see <see cref="SqliteFileIdentity"/>: a
    /// database deleted, moved or replaced under the service). Nothing more: the database is a local file held open from
    /// start to dispose, so there is no connection to lose between writes; and what can befall a local file while no
    /// record is written (a full disk, a file system remounted read-only or frozen, an I/O error) shows only in a write:
    /// a read on the write connection is answered from SQLite's page cache and the WAL index in shared memory, so it
    /// would say "alive" in exactly the cases the next commit fails, and a test write is what health must not make on
    /// every call. The writer's commits and stall bound are what detect those.
    /// </summary>
    /// <exception cref="AuditStoreUnavailableException">The store is closed, or its file is no longer at its path.</exception>
    public Task CheckLivenessAsync(CancellationToken cancellationToken = default)
    {
        ThrowIfClosed();
        if (!_gate.TryEnter())
        {
            return Task.CompletedTask; // a write is running, and checks the file itself before it commits
        }

        try
        {
            ThrowIfClosed();
            ThrowIfFileGone();
            return Task.CompletedTask;
        }
        catch (AuditStoreUnavailableException ex)
        {
            return Task.FromException(ex);
        }
        finally
        {
            _gate.Exit();
        }
    }

    /// <summary>Refuses to go on when the database's path no longer names the open file; under <see cref="_gate"/>.</summary>
    private void ThrowIfFileGone()
    {
        if (SqliteFileIdentity.Problem(_connection, DatabasePath, _committed) is { } problem)
        {
            throw new AuditStoreUnavailableException(
                $"{problem}: records written now would be lost with it. Stop the service before moving, restoring or deleting the audit database, then start it again on the database to keep");
        }
    }

    /// <inheritdoc/>
    public Task<AuditHead?> GetVerifiedPointAsync(CancellationToken cancellationToken = default)
    {
        ThrowIfClosed();
        return _reader.GetVerifiedPointAsync(cancellationToken);
    }

    /// <inheritdoc/>
    public Task RecordVerifiedPointAsync(AuditHead point, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(point);
        ThrowIfClosed();
        lock (_gate)
        {
            ThrowIfClosed();
            try
            {
                EnsurePrepared();
                using var command = _connection.CreateCommand();
                command.CommandText = """
                    INSERT INTO verified_points (sequence, entry_hash)
                      SELECT $sequence, $hash WHERE $sequence > (SELECT COALESCE(MAX(sequence), 0) FROM verified_points);
                    """;
                command.Parameters.AddWithValue("$sequence", point.Size);
                command.Parameters.AddWithValue("$hash", point.HeadHash);
                command.ExecuteNonQuery();
                return Task.CompletedTask;
            }
            catch (SqliteException ex)
            {
                return Task.FromException(new AuditStoreUnavailableException("the verified point could not be recorded: " + Reason(ex), ex));
            }
            catch (AuditStoreUnavailableException ex)
            {
                return Task.FromException(ex);
            }
        }
    }

    /// <inheritdoc/>
    public Task<IReadOnlyList<string>> ListRevisionsAsync(CancellationToken cancellationToken = default)
    {
        ThrowIfDisposed();
        return _reader.ListRevisionsAsync(cancellationToken);
    }

    /// <summary>Runs a write once the database is prepared for writes (a failure to prepare fails the write).</summary>
    private Task Prepared(Func<Task> write)
    {
        try
        {
            EnsurePrepared();
        }
        catch (AuditStoreUnavailableException ex)
        {
            return Task.FromException(ex);
        }

        return write();
    }

    private Task Append(IReadOnlyList<StoredEntry> entries)
    {
        try
        {
            Kept(ref _begin, "BEGIN IMMEDIATE;").ExecuteNonQuery();
            CheckHead(entries[0]);
            List<string>? duplicates = null;
            foreach (var entry in entries)
            {
                try
                {
                    InsertEntry(entry);
                }
                catch (SqliteException ex) when (ex.SqliteExtendedErrorCode == SqliteAuditDatabase.UniqueConstraint)
                {
                    // The failed statement alone is undone; go on to name every duplicate of the batch at once.
                    (duplicates ??= []).Add(entry.EntryId);
                }
            }

            if (duplicates is not null)
            {
                RollBackQuietly();
                return Task.FromException(new DuplicateEntryException(duplicates));
            }

            _options.BeforeCommit?.Invoke(entries.Count);
            ThrowIfFileGone();
            Kept(ref _commit, "COMMIT;").ExecuteNonQuery();
            _committed = true;
            return Task.CompletedTask;
        }
        catch (Exception ex)
        {
            RollBackQuietly();
            return Task.FromException(WriteFailure(ex));
        }
    }

    private Task Archive(ArchivedRevision revision)
    {
        try
        {
            Execute("BEGIN IMMEDIATE;");
            using var command = _connection.CreateCommand();
            command.CommandText = "INSERT INTO revisions (revision, name, version) VALUES ($revision, $name, $version) ON CONFLICT (revision) DO NOTHING;";
            command.Parameters.AddWithValue("$revision", revision.Identity.Revision);
            command.Parameters.AddWithValue("$name", revision.Identity.Name);
            command.Parameters.AddWithValue("$version", revision.Identity.Version);
            if (command.ExecuteNonQuery() == 1)
            {
                command.CommandText = "INSERT INTO revision_files (revision, path, content, sha256) VALUES ($revision, $path, $content, $sha256);";
                var path = command.Parameters.Add("$path", SqliteType.Text);
                var content = command.Parameters.Add("$content", SqliteType.Blob);
                var digest = command.Parameters.Add("$sha256", SqliteType.Text);
                foreach (var file in revision.Files)
                {
                    path.Value = file.Path;
                    content.Value = file.Content;
                    digest.Value = ArchivedRevision.DigestOf(file.Content);
                    command.ExecuteNonQuery();
                }
            }

            _options.BeforeCommit?.Invoke(1);
            ThrowIfFileGone();
            Execute("COMMIT;");
            _committed = true;
            return Task.CompletedTask;
        }
        catch (Exception ex)
        {
            RollBackQuietly();
            return Task.FromException(WriteFailure(ex));
        }
    }

    /// <inheritdoc/>
    public Task<bool> IsRevisionArchivedAsync(string revision, CancellationToken cancellationToken = default) =>
        _reader.IsRevisionArchivedAsync(revision, cancellationToken);

    /// <inheritdoc/>
    public Task<StoredEntry?> GetAsync(string entryId, CancellationToken cancellationToken = default)
    {
        ThrowIfDisposed();
        return _reader.GetAsync(entryId, cancellationToken);
    }

    /// <inheritdoc/>
    public Task<EntryPage> ListAsync(EntryFilter filter, CancellationToken cancellationToken = default)
    {
        ThrowIfDisposed();
        return _reader.ListAsync(filter, cancellationToken);
    }

    /// <inheritdoc/>
    public IAsyncEnumerable<StoredEntry> ReadRangeAsync(long fromSequence, int count, CancellationToken cancellationToken = default)
    {
        ThrowIfDisposed();
        return _reader.ReadRangeAsync(fromSequence, count, cancellationToken);
    }

    /// <inheritdoc/>
    public Task<ArchivedRevision?> GetRevisionAsync(string revision, CancellationToken cancellationToken = default)
    {
        ThrowIfDisposed();
        return _reader.GetRevisionAsync(revision, cancellationToken);
    }

    /// <inheritdoc/>
    public Task<IReadOnlyList<RevisionUse>> ListRevisionUsesAsync(CancellationToken cancellationToken = default)
    {
        ThrowIfDisposed();
        return _reader.ListRevisionUsesAsync(cancellationToken);
    }

    /// <inheritdoc/>
    public Task<IReadOnlyList<RulesetIdentity>> ListArchivedRevisionsAsync(CancellationToken cancellationToken = default)
    {
        ThrowIfDisposed();
        return _reader.ListArchivedRevisionsAsync(cancellationToken);
    }

    /// <inheritdoc/>
    public Task<IReadOnlyList<VerdictCount>> CountVerdictsPerDayAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default)
    {
        ThrowIfDisposed();
        return _reader.CountVerdictsPerDayAsync(from, to, cancellationToken);
    }

    /// <inheritdoc/>
    public Task<RuleFirings> CountRuleFiringsAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default)
    {
        ThrowIfDisposed();
        return _reader.CountRuleFiringsAsync(from, to, cancellationToken);
    }

    /// <inheritdoc/>
    public Task<IReadOnlyDictionary<string, long>> ReadChainHeadsAsync(CancellationToken cancellationToken = default)
    {
        ThrowIfDisposed();
        return _reader.ReadChainHeadsAsync(cancellationToken);
    }

    /// <inheritdoc/>
    public IAsyncEnumerable<DecisionSummary> ReadDecisionSummariesAsync(string chainId, long afterSequence, long throughSequence, CancellationToken cancellationToken = default)
    {
        ThrowIfDisposed();
        return _reader.ReadDecisionSummariesAsync(chainId, afterSequence, throughSequence, cancellationToken);
    }

    /// <inheritdoc cref="SqliteAuditReader.ReadLatestKeyUsesAsync"/>
    public Task<IReadOnlyList<ChainKeyUse>> ReadLatestKeyUsesAsync(CancellationToken cancellationToken = default)
    {
        ThrowIfDisposed();
        return _reader.ReadLatestKeyUsesAsync(cancellationToken);
    }

    /// <inheritdoc/>
    public Task<AuditHead> HeadAsync(CancellationToken cancellationToken = default)
    {
        ThrowIfDisposed();
        return _reader.HeadAsync(cancellationToken);
    }

    /// <summary>
    /// Closes the database and releases the lock. Dispose the writer first: writes after this are refused. When a write
    /// is still running (the file system froze under it), the connection is not closed under it and the lock file stays
    /// held until the process exits (<see cref="ClosedCleanly"/> is then false); this call never waits for it.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        if (!_gate.TryEnter())
        {
            ClosedCleanly = false;
            return;
        }

        try
        {
            foreach (var command in (SqliteCommand?[])[_insertEntry, _begin, _readHead, _commit])
            {
                command?.Dispose();
            }

            await _connection.DisposeAsync().ConfigureAwait(false);
            await _lockFile.DisposeAsync().ConfigureAwait(false);
        }
        finally
        {
            _gate.Exit();
        }
    }

    /// <summary>Brings the schema to layout 3, its append-only triggers included; returns the older layout it found (1 or 2), else null.</summary>
    private static long? EnsureSchema(SqliteConnection connection)
    {
        var version = SchemaVersionOf(connection);
        using var command = connection.CreateCommand();
        command.CommandText = "BEGIN IMMEDIATE;";
        command.ExecuteNonQuery();
        try
        {
            var tables = SqliteAuditDatabase.Objects(connection).Tables;
            var moveLayout1 = tables.Contains("decisions") && !tables.Contains("entries");
            var existing = tables.Contains("entries");
            command.CommandText = SqliteAuditDatabase.Ddl;
            command.ExecuteNonQuery();
            if (!SqliteAuditDatabase.HasColumn(connection, "revision_files", "sha256"))
            {
                command.CommandText = SqliteAuditDatabase.AddFileDigests;
                command.ExecuteNonQuery();
            }

            if (moveLayout1)
            {
                command.CommandText = SqliteAuditDatabase.MoveLayout1;
                command.ExecuteNonQuery();
                command.CommandText = "SELECT (SELECT COUNT(*) FROM decisions) - (SELECT COUNT(*) FROM entries);";
                if (Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture) != 0)
                {
                    throw new AuditStoreUnavailableException("the decisions of the layout 1 audit database could not all be moved; nothing was changed");
                }

                command.CommandText = SqliteAuditDatabase.DropLayout1;
                command.ExecuteNonQuery();
            }

            command.CommandText = $"PRAGMA user_version = {SqliteAuditDatabase.SchemaVersion}; COMMIT;";
            command.ExecuteNonQuery();
            return moveLayout1 ? 1 : existing && version < SqliteAuditDatabase.SchemaVersion ? Math.Max(version, 2) : null;
        }
        catch
        {
            command.CommandText = "ROLLBACK;";
            command.ExecuteNonQuery();
            throw;
        }
    }

    /// <summary>Refuses a batch that does not continue the committed head (another writer, or a writer with a stale head).</summary>
    private void CheckHead(StoredEntry first)
    {
        AuditHead head;
        using (var reader = Kept(ref _readHead, "SELECT sequence, entry_hash FROM entries ORDER BY sequence DESC LIMIT 1;").ExecuteReader())
        {
            head = reader.Read() ? new AuditHead(reader.GetInt64(0), reader.GetString(1)) : AuditHead.Empty;
        }

        if (first.Sequence != head.Size + 1 || !string.Equals(first.PrevHash, head.HeadHash, StringComparison.Ordinal))
        {
            throw new AuditStoreUnavailableException(
                $"the chain's head is at sequence {head.Size}, not where the batch continues it (sequence {first.Sequence}); is another writer appending?");
        }
    }

    private void InsertEntry(StoredEntry entry)
    {
        if (_insertEntry is null)
        {
            _insertEntry = _connection.CreateCommand();
            _insertEntry.CommandText =
                $"INSERT INTO entries ({SqliteAuditDatabase.EntryColumns}) VALUES ($sequence, $kind, $id, $at, $verdict, $revision, $rules, $record, $prev, $hash);";
            foreach (var name in (string[])["$sequence", "$kind", "$id", "$at", "$verdict", "$revision", "$rules", "$record", "$prev", "$hash"])
            {
                _insertEntry.Parameters.Add(new SqliteParameter { ParameterName = name });
            }
        }

        var p = _insertEntry.Parameters;
        p["$sequence"].Value = entry.Sequence;
        p["$kind"].Value = entry.Kind;
        p["$id"].Value = entry.EntryId;
        p["$at"].Value = entry.RecordedAt;
        p["$verdict"].Value = (object?)entry.Verdict ?? DBNull.Value;
        p["$revision"].Value = (object?)entry.Revision ?? DBNull.Value;
        p["$rules"].Value = (object?)entry.RuleIds ?? DBNull.Value;
        p["$record"].Value = entry.RecordJson;
        p["$prev"].Value = entry.PrevHash;
        p["$hash"].Value = entry.EntryHash;
        _insertEntry.ExecuteNonQuery();
    }

    /// <summary>
    /// The failure of a write as its callers get it: an <see cref="AuditStoreUnavailableException"/> as it is, anything
    /// else wrapped, an SQLite error worded by <see cref="Reason"/>.
    /// </summary>
    private AuditStoreUnavailableException WriteFailure(Exception ex) => ex switch
    {
        AuditStoreUnavailableException unavailable => unavailable,
        SqliteException sqlite => new AuditStoreUnavailableException(Reason(sqlite), sqlite),
        _ => new AuditStoreUnavailableException(ex.Message, ex),
    };

    /// <summary>
    /// What <paramref name="ex"/> means for the operator: its message, except for SQLITE_FULL, which names the database
    /// whose disk is full, and SQLITE_BUSY and SQLITE_LOCKED, which say that another connection (in practice another process: this store's is the only one that writes) held a lock
    /// on the database for longer than the busy timeout. That wait can outlast the writer's stall bound, so without
    /// this the log would point at a stalled disk rather than at whatever holds the lock.
    /// </summary>
    private string Reason(SqliteException ex) => (ex.SqliteErrorCode & 0xFF) switch
    {
        SqliteBusy or SqliteLocked => string.Create(
            CultureInfo.InvariantCulture,
            $"the audit database {DatabasePath} is locked by another process, which held it for longer than the busy timeout of {_options.BusyTimeout.TotalSeconds:0.###} s ({ex.Message}): stop whatever holds it (a sqlite3 shell with a transaction open, a backup or copy tool writing to it); nothing but the service may write to the audit database"),
        SqliteFull => $"the disk holding {DatabasePath} is full (SQLite error 13): free space; the service accepts records again by itself",
        _ => ex.Message,
    };

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

    /// <summary>The command kept in <paramref name="command"/> (created with <paramref name="sql"/> on first use).</summary>
    private SqliteCommand Kept(ref SqliteCommand? command, string sql)
    {
        if (command is null)
        {
            command = _connection.CreateCommand();
            command.CommandText = sql;
        }

        return command;
    }

    private void Execute(string sql)
    {
        using var command = _connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private void ThrowIfClosed()
    {
        if (Volatile.Read(ref _disposed) == 1)
        {
            throw new AuditStoreUnavailableException("the audit store is closed");
        }
    }

    private void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) == 1, this);
}
