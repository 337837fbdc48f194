using System.Runtime.CompilerServices;
using System.Text;
using Microsoft.Data.Sqlite;
using SafetyCheck.Audit.Json;
using SafetyCheck.Audit.Pseudonyms;
using SafetyCheck.Audit.Storage;
using SafetyCheck.Core.Domain;
using SafetyCheck.Core.Rules;

namespace SafetyCheck.Audit.Sqlite;

/// <summary>
/// Reads an audit database without owning it: every call opens its own read-only connection (<c>Mode=ReadOnly</c>,
/// <c>synchronous=FULL</c>, busy timeout; the journal mode as the file has it, WAL or not) and takes no lock file, so
/// auditor tools can read while <c>serve</c> appends, and can read a copy that is not in WAL mode. A WAL database whose
/// folder cannot be written (read-only media: SQLite cannot create its shared-memory file there) is read as immutable
/// (SQLite's <c>immutable=1</c>), which is exact only while nothing writes it: so only when it has no write-ahead log
/// or rollback journal holding changes not yet in the file (else the read is refused, naming the file). A file that is
/// not an SQLite database, or one without the trail's tables, is refused as not an audit trail. Each call sees the entries committed when it started. Reads every layout: a database written
/// before entry kinds (layout 1) or before file digests and verified points (layout 2) is read as it is until a store opens it. Thread-safe; nothing to dispose.
/// </summary>
public sealed class SqliteAuditReader : IAuditReader, IVerifiedPointReader, IAuditSummarySource
{
    private readonly string _connectionString;
    private readonly string _immutableConnectionString;
    private readonly TimeSpan _busyTimeout;
    private readonly bool _mayReadImmutable;
    private int _isAuditTrail;
    private int _immutable;

    /// <summary>A reader of the database at <paramref name="databasePath"/>.</summary>
    /// <param name="databasePath">Path of an existing audit database.</param>
    /// <param name="busyTimeout">How long a call waits for a lock before failing; default 5 s.</param>
    /// <param name="mayReadImmutable">
    /// Whether the reader may read the file as immutable when its folder cannot be written (read-only media, an evidence
    /// copy). False for the reader of a store that writes the file: a live WAL database read as immutable would miss
    /// committed records.
    /// </param>
    /// <exception cref="AuditStoreUnavailableException">There is no database at the path.</exception>
    public SqliteAuditReader(string databasePath, TimeSpan? busyTimeout = null, bool mayReadImmutable = true)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(databasePath);
        var fullPath = Path.GetFullPath(databasePath);
        if (!File.Exists(fullPath))
        {
            throw new AuditStoreUnavailableException($"there is no audit database at {fullPath}");
        }

        DatabasePath = fullPath;
        _mayReadImmutable = mayReadImmutable;
        _busyTimeout = busyTimeout ?? TimeSpan.FromSeconds(5);
        _connectionString = SqliteAuditDatabase.ConnectionString(fullPath, SqliteOpenMode.ReadOnly, _busyTimeout);
        _immutableConnectionString = SqliteAuditDatabase.ConnectionString(new Uri(fullPath).AbsoluteUri + "?immutable=1", SqliteOpenMode.ReadOnly, _busyTimeout);
    }

    /// <summary>True once the reader found the database's folder unwritable and reads the file as immutable.</summary>
    public bool ReadsImmutable => Volatile.Read(ref _immutable) == 1;

    /// <summary>Absolute path of the database.</summary>
    public string DatabasePath { get; }

    /// <inheritdoc/>
    public Task<StoredEntry?> GetAsync(string entryId, CancellationToken cancellationToken = default) =>
        Guarded(GetCoreAsync(entryId, cancellationToken));

    private async Task<StoredEntry?> GetCoreAsync(string entryId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entryId);
        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {SqliteAuditDatabase.EntryColumns} FROM {SqliteAuditDatabase.EntriesSource(connection)} WHERE entry_id = $id;";
        command.Parameters.AddWithValue("$id", entryId);
        using var row = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await row.ReadAsync(cancellationToken).ConfigureAwait(false) ? SqliteAuditDatabase.ReadEntry(row) : null;
    }

    /// <inheritdoc/>
    public Task<EntryPage> ListAsync(EntryFilter filter, CancellationToken cancellationToken = default) =>
        Guarded(ListCoreAsync(filter, cancellationToken));

    private async Task<EntryPage> ListCoreAsync(EntryFilter filter, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(filter);
        if (filter.PageSize is < 1 or > EntryFilter.MaxPageSize)
        {
            throw new ArgumentException($"The page size is 1–{EntryFilter.MaxPageSize}.", nameof(filter));
        }

        var position = SqlitePageToken.Read(filter.PageToken, filter.NewestFirst);
        if (filter.Chain is not null)
        {
            // One chain, whose entries name none: none belongs to a chain named.
            return new EntryPage([], null);
        }

        using var connection = Open();
        using var command = connection.CreateCommand();
        var sql = new StringBuilder($"SELECT {SqliteAuditDatabase.EntryColumns} FROM {SqliteAuditDatabase.EntriesSource(connection)} AS d WHERE 1 = 1");
        if (filter.NewestFirst)
        {
            // Recording time, then sequence, both descending: what the (…, recorded_at) indexes hold, rowid last.
            if (position.RecordedAt is { } at)
            {
                sql.Append(" AND d.recorded_at <= $at AND (d.recorded_at < $at OR d.sequence < $sequence)");
                command.Parameters.AddWithValue("$at", at);
                command.Parameters.AddWithValue("$sequence", position.Sequence);
            }
        }
        else
        {
            sql.Append(" AND d.sequence > $sequence");
            command.Parameters.AddWithValue("$sequence", position.Sequence);
        }

        if (filter.Kind is { } kind)
        {
            sql.Append(" AND d.kind = $kind");
            command.Parameters.AddWithValue("$kind", kind);
        }

        if (filter.From is { } from)
        {
            sql.Append(" AND d.recorded_at >= $from");
            command.Parameters.AddWithValue("$from", AuditTime.Write(from));
        }

        if (filter.To is { } to)
        {
            sql.Append(" AND d.recorded_at < $to");
            command.Parameters.AddWithValue("$to", AuditTime.Write(to));
        }

        if (filter.Verdict is { } verdict)
        {
            sql.Append(" AND d.verdict = $verdict");
            command.Parameters.AddWithValue("$verdict", EnumNames.Of(verdict));
        }

        if (filter.Revision is { } revision)
        {
            sql.Append(" AND d.revision = $revision");
            command.Parameters.AddWithValue("$revision", revision);
        }

        if (filter.Caller is { } caller)
        {
            // The same expression as the entries_caller_recorded_at index, so SQLite can use it.
            sql.Append($" AND d.kind = 'decision' AND {SqliteAuditDatabase.CallerExpression} = $caller");
            command.Parameters.AddWithValue("$caller", caller);
        }

        if (filter.RuleId is { } ruleId)
        {
            sql.Append(" AND EXISTS (SELECT 1 FROM json_each(d.rule_ids) AS r WHERE r.value = $rule)");
            command.Parameters.AddWithValue("$rule", ruleId);
        }

        sql.Append(filter.NewestFirst ? " ORDER BY d.recorded_at DESC, d.sequence DESC" : " ORDER BY d.sequence");
        sql.Append(" LIMIT $limit;");
        command.Parameters.AddWithValue("$limit", filter.PageSize + 1);
        command.CommandText = sql.ToString();

        var items = new List<StoredEntry>(filter.PageSize + 1);
        using (var row = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            while (await row.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                items.Add(SqliteAuditDatabase.ReadEntry(row));
            }
        }

        if (items.Count <= filter.PageSize)
        {
            return new EntryPage(items, null);
        }

        items.RemoveAt(items.Count - 1);
        return new EntryPage(items, SqlitePageToken.Write(items[^1], filter.NewestFirst));
    }

    /// <inheritdoc/>
    public IAsyncEnumerable<StoredEntry> ReadRangeAsync(
        long fromSequence,
        int count,
        CancellationToken cancellationToken = default) =>
        Guarded(ReadRangeCoreAsync(fromSequence, count, cancellationToken), cancellationToken);

    private async IAsyncEnumerable<StoredEntry> ReadRangeCoreAsync(
        long fromSequence,
        int count,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {SqliteAuditDatabase.EntryColumns} FROM {SqliteAuditDatabase.EntriesSource(connection)} WHERE sequence >= $from ORDER BY sequence LIMIT $count;";
        command.Parameters.AddWithValue("$from", fromSequence);
        command.Parameters.AddWithValue("$count", count);
        using var row = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await row.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            yield return SqliteAuditDatabase.ReadEntry(row);
        }
    }

    /// <inheritdoc/>
    public Task<ArchivedRevision?> GetRevisionAsync(string revision, CancellationToken cancellationToken = default) =>
        Guarded(GetRevisionCoreAsync(revision, cancellationToken));

    private async Task<ArchivedRevision?> GetRevisionCoreAsync(string revision, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(revision);
        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT name, version FROM revisions WHERE revision = $revision;";
        command.Parameters.AddWithValue("$revision", revision);
        RulesetIdentity identity;
        using (var found = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            if (!await found.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                return null;
            }

            identity = new RulesetIdentity(found.GetString(0), found.GetString(1), revision);
        }

        // Layouts before 3 kept no digests.
        var digestColumn = SqliteAuditDatabase.HasColumn(connection, "revision_files", "sha256") ? "sha256" : "NULL";
        command.CommandText = $"SELECT path, content, {digestColumn} FROM revision_files WHERE revision = $revision ORDER BY path;";
        var files = new List<RuleSetFile>();
        var digests = new Dictionary<string, string>(StringComparer.Ordinal);
        using var row = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await row.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            files.Add(new RuleSetFile(row.GetString(0), (byte[])row.GetValue(1)));
            if (!row.IsDBNull(2))
            {
                digests[row.GetString(0)] = row.GetString(2);
            }
        }

        // The database orders by SQLite's BINARY collation; the revision hash uses ordinal UTF-16 order.
        return new ArchivedRevision(identity, [.. files.OrderBy(f => f.Path, StringComparer.Ordinal)]) { FileDigests = digests };
    }

    /// <inheritdoc/>
    public Task<IReadOnlyList<string>> ListRevisionsAsync(CancellationToken cancellationToken = default) =>
        Guarded(ListRevisionsCoreAsync(cancellationToken));

    private async Task<IReadOnlyList<string>> ListRevisionsCoreAsync(CancellationToken cancellationToken)
    {
        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT revision FROM revisions;";
        var revisions = new List<string>();
        using var row = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await row.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            revisions.Add(row.GetString(0));
        }

        revisions.Sort(StringComparer.Ordinal);
        return revisions;
    }

    /// <inheritdoc/>
    public Task<AuditHead?> GetVerifiedPointAsync(CancellationToken cancellationToken = default) =>
        Guarded(VerifiedPointCoreAsync(cancellationToken));

    private async Task<AuditHead?> VerifiedPointCoreAsync(CancellationToken cancellationToken)
    {
        using var connection = Open();
        if (!SqliteAuditDatabase.Objects(connection).Tables.Contains("verified_points"))
        {
            return null;
        }

        using var command = connection.CreateCommand();
        command.CommandText = "SELECT sequence, entry_hash FROM verified_points ORDER BY sequence DESC LIMIT 1;";
        using var row = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await row.ReadAsync(cancellationToken).ConfigureAwait(false) ? new AuditHead(row.GetInt64(0), row.GetString(1)) : null;
    }

    /// <summary>True when <paramref name="revision"/> is in the archive.</summary>
    /// <exception cref="AuditStoreUnavailableException">The database cannot be read.</exception>
    public Task<bool> IsRevisionArchivedAsync(string revision, CancellationToken cancellationToken = default) =>
        Guarded(IsRevisionArchivedCoreAsync(revision, cancellationToken));

    private async Task<bool> IsRevisionArchivedCoreAsync(string revision, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(revision);
        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT 1 FROM revisions WHERE revision = $revision;";
        command.Parameters.AddWithValue("$revision", revision);
        return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is not null;
    }

    /// <inheritdoc/>
    public Task<AuditHead> HeadAsync(CancellationToken cancellationToken = default) =>
        Guarded(HeadCoreAsync(cancellationToken));

    private async Task<AuditHead> HeadCoreAsync(CancellationToken cancellationToken)
    {
        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT sequence, entry_hash FROM {SqliteAuditDatabase.EntriesSource(connection)} ORDER BY sequence DESC LIMIT 1;";
        using var row = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await row.ReadAsync(cancellationToken).ConfigureAwait(false) ? new AuditHead(row.GetInt64(0), row.GetString(1)) : AuditHead.Empty;
    }

    /// <inheritdoc/>
    public Task<IReadOnlyList<RevisionUse>> ListRevisionUsesAsync(CancellationToken cancellationToken = default) =>
        Guarded(ListRevisionUsesCoreAsync(cancellationToken));

    private async Task<IReadOnlyList<RevisionUse>> ListRevisionUsesCoreAsync(CancellationToken cancellationToken)
    {
        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = $"""
            SELECT r.revision, r.name, r.version, coalesce(u.decisions, 0), u.first_at, u.last_at
            FROM revisions AS r LEFT JOIN (
              SELECT revision, count(*) AS decisions, min(recorded_at) AS first_at, max(recorded_at) AS last_at
              FROM {SqliteAuditDatabase.EntriesSource(connection)} WHERE kind = 'decision' GROUP BY revision) AS u ON u.revision = r.revision
            ORDER BY u.first_at IS NULL, u.first_at, r.revision;
            """;
        var revisions = new List<RevisionUse>();
        using var row = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await row.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            revisions.Add(new RevisionUse(
                new RulesetIdentity(row.GetString(1), row.GetString(2), row.GetString(0)),
                row.GetInt64(3),
                row.IsDBNull(4) ? null : row.GetString(4),
                row.IsDBNull(5) ? null : row.GetString(5)));
        }

        return revisions;
    }

    /// <inheritdoc/>
    public Task<IReadOnlyList<RulesetIdentity>> ListArchivedRevisionsAsync(CancellationToken cancellationToken = default) =>
        Guarded(ListArchivedRevisionsCoreAsync(cancellationToken));

    private async Task<IReadOnlyList<RulesetIdentity>> ListArchivedRevisionsCoreAsync(CancellationToken cancellationToken)
    {
        using var connection = Open();
        using var command = connection.CreateCommand();

        // min(recorded_at) of one revision is a single seek in the (revision, recorded_at) index.
        command.CommandText = $"""
            SELECT revision, name, version FROM (
              SELECT r.revision, r.name, r.version,
                (SELECT min(e.recorded_at) FROM {SqliteAuditDatabase.EntriesSource(connection)} AS e WHERE e.revision = r.revision) AS first_at
              FROM revisions AS r)
            ORDER BY first_at IS NULL, first_at, revision;
            """;
        var revisions = new List<RulesetIdentity>();
        using var row = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await row.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            revisions.Add(new RulesetIdentity(row.GetString(1), row.GetString(2), row.GetString(0)));
        }

        return revisions;
    }

    /// <inheritdoc/>
    public Task<IReadOnlyList<VerdictCount>> CountVerdictsPerDayAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default) =>
        Guarded(CountVerdictsPerDayCoreAsync(from, to, cancellationToken));

    private async Task<IReadOnlyList<VerdictCount>> CountVerdictsPerDayCoreAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken)
    {
        using var connection = Open();
        using var command = connection.CreateCommand();

        // Only decisions have a verdict: naming the verdicts lets SQLite answer from the (verdict, recorded_at) index alone.
        command.CommandText = $"""
            SELECT substr(recorded_at, 1, 10) AS day, verdict, count(*) FROM {SqliteAuditDatabase.EntriesSource(connection)}
            WHERE verdict IN ({string.Join(", ", EnumNames.All<Suitability>().Select(v => $"'{v}'"))}) AND recorded_at >= $from AND recorded_at < $to
            GROUP BY day, verdict ORDER BY day, verdict;
            """;
        command.Parameters.AddWithValue("$from", AuditTime.Write(from));
        command.Parameters.AddWithValue("$to", AuditTime.Write(to));
        var counts = new List<VerdictCount>();
        using var row = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await row.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            counts.Add(new VerdictCount(AuditTime.ReadDate(row.GetString(0)), row.GetString(1), row.GetInt64(2)));
        }

        return counts;
    }

    /// <inheritdoc/>
    public Task<RuleFirings> CountRuleFiringsAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default) =>
        Guarded(CountRuleFiringsCoreAsync(from, to, cancellationToken));

    private async Task<RuleFirings> CountRuleFiringsCoreAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken)
    {
        using var connection = Open();
        using var command = connection.CreateCommand();
        var source = SqliteAuditDatabase.EntriesSource(connection);
        command.Parameters.AddWithValue("$from", AuditTime.Write(from));
        command.Parameters.AddWithValue("$to", AuditTime.Write(to));
        command.CommandText = $"""
            SELECT revision, count(*) FROM {source}
            WHERE kind = 'decision' AND recorded_at >= $from AND recorded_at < $to GROUP BY revision;
            """;
        var decisions = new Dictionary<string, long>(StringComparer.Ordinal);
        using (var row = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            while (await row.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                decisions[row.GetString(0)] = row.GetInt64(1);
            }
        }

        command.CommandText = $"""
            SELECT d.revision, r.value, count(*) FROM {source} AS d, json_each(d.rule_ids) AS r
            WHERE d.kind = 'decision' AND d.recorded_at >= $from AND d.recorded_at < $to
            GROUP BY d.revision, r.value ORDER BY d.revision, r.value;
            """;
        var counts = new List<RuleFiringCount>();
        using (var row = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            while (await row.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                counts.Add(new RuleFiringCount(row.GetString(0), row.GetString(1), row.GetInt64(2)));
            }
        }

        return new RuleFirings(decisions, counts);
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyDictionary<string, long>> ReadChainHeadsAsync(CancellationToken cancellationToken = default) =>
        new Dictionary<string, long>(StringComparer.Ordinal) { [""] = (await HeadAsync(cancellationToken).ConfigureAwait(false)).Size };

    /// <inheritdoc/>
    public IAsyncEnumerable<DecisionSummary> ReadDecisionSummariesAsync(
        string chainId,
        long afterSequence,
        long throughSequence,
        CancellationToken cancellationToken = default) =>
        Guarded(ReadDecisionSummariesCoreAsync(chainId, afterSequence, throughSequence, cancellationToken), cancellationToken);

    private async IAsyncEnumerable<DecisionSummary> ReadDecisionSummariesCoreAsync(
        string chainId,
        long afterSequence,
        long throughSequence,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(chainId);
        if (chainId.Length > 0)
        {
            yield break;
        }

        using var connection = Open();
        using var command = connection.CreateCommand();

        // A range of the rowid: the new rows only, whatever the size of the trail.
        command.CommandText = $"""
            SELECT {DecisionSummary.Columns} FROM {SqliteAuditDatabase.EntriesSource(connection)}
            WHERE sequence > $after AND sequence <= $through AND kind = 'decision' ORDER BY sequence;
            """;
        command.Parameters.AddWithValue("$after", afterSequence);
        command.Parameters.AddWithValue("$through", throughSequence);
        using var row = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await row.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            yield return DecisionSummary.Read(row);
        }
    }

    /// <summary>How many of the chain's last decisions <see cref="ReadLatestKeyUsesAsync"/> looks through for one that names a patient.</summary>
    public const int KeyUseScan = 64;

    /// <summary>
    /// The pseudonym key the chain last recorded a patient under: the key id of its latest decision that names a patient
    /// (looking through its last <see cref="KeyUseScan"/> decisions), as the one use of chain <c>""</c>; empty when there
    /// is none. Reads a backward range of the rowid and those records only.
    /// </summary>
    /// <exception cref="AuditStoreUnavailableException">The database cannot be read.</exception>
    public Task<IReadOnlyList<ChainKeyUse>> ReadLatestKeyUsesAsync(CancellationToken cancellationToken = default) =>
        Guarded(ReadLatestKeyUsesCoreAsync(cancellationToken));

    private async Task<IReadOnlyList<ChainKeyUse>> ReadLatestKeyUsesCoreAsync(CancellationToken cancellationToken)
    {
        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = $"""
            SELECT sequence, recorded_at, key_id FROM (
              SELECT sequence, recorded_at, json_extract(record, '$.patient.key_id') AS key_id
              FROM {SqliteAuditDatabase.EntriesSource(connection)} WHERE kind = 'decision' ORDER BY sequence DESC LIMIT {KeyUseScan})
            WHERE key_id <> '' ORDER BY sequence DESC LIMIT 1;
            """;
        return await ReadKeyUseAsync(command, cancellationToken).ConfigureAwait(false) is { } use ? [use] : [];
    }

    /// <summary>
    /// The latest decision that names a patient under another key id than <paramref name="keyId"/>, or null when none
    /// does. Reads decisions newest first and stops at the first such one: as far back as the key last changed, and the
    /// whole chain when it never did.
    /// </summary>
    /// <exception cref="AuditStoreUnavailableException">The database cannot be read.</exception>
    public Task<ChainKeyUse?> ReadLatestKeyUseOtherThanAsync(string keyId, CancellationToken cancellationToken = default) =>
        Guarded(ReadLatestKeyUseOtherThanCoreAsync(keyId, cancellationToken));

    private async Task<ChainKeyUse?> ReadLatestKeyUseOtherThanCoreAsync(string keyId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(keyId);
        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = $"""
            SELECT sequence, recorded_at, key_id FROM (
              SELECT sequence, recorded_at, json_extract(record, '$.patient.key_id') AS key_id
              FROM {SqliteAuditDatabase.EntriesSource(connection)} WHERE kind = 'decision')
            WHERE key_id <> '' AND key_id <> $key ORDER BY sequence DESC LIMIT 1;
            """;
        command.Parameters.AddWithValue("$key", keyId);
        return await ReadKeyUseAsync(command, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The first row of <paramref name="command"/> (sequence, recorded_at, key_id) as a use of chain <c>""</c>; null when there is none.</summary>
    private static async Task<ChainKeyUse?> ReadKeyUseAsync(SqliteCommand command, CancellationToken cancellationToken)
    {
        using var row = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await row.ReadAsync(cancellationToken).ConfigureAwait(false)
            ? new ChainKeyUse("", row.GetString(2), row.GetInt64(0), AuditTime.Read(row.GetString(1)))
            : null;
    }

    /// <summary>
    /// Copies the whole database, as one snapshot, into the file at <paramref name="destinationPath"/> (which must be
    /// empty: created by the caller with the mode the copy is to have) with SQLite's online backup API, from a
    /// read-only connection opened as every read here is. Every page is copied in one step
    /// (<see cref="SqliteConnection.BackupDatabase(SqliteConnection)"/>), inside one read transaction: a WAL database's
    /// writer goes on committing meanwhile (a WAL reader does not block it), and the copy holds the database as it was
    /// when the step began, the records committed after it left out; only the writer's checkpoints cannot reset the
    /// WAL past that snapshot while the copy lasts, so the WAL grows by what is committed meanwhile (cut back to
    /// <see cref="SqliteAuditDatabase.WalSizeLimitBytes"/> afterwards). A database not in WAL mode (a copy) is read
    /// under a shared lock, which keeps a writer from committing until the copy ends. The copy is left in
    /// rollback-journal mode (<c>DELETE</c>), committed with <c>synchronous=FULL</c>: a single file that needs no
    /// <c>-wal</c> beside it and that readers open as it is. Cannot be cancelled once the copy has started.
    /// </summary>
    /// <exception cref="AuditStoreUnavailableException">The database cannot be opened, or is not an audit trail.</exception>
    /// <exception cref="IOException">The copy failed (a page that cannot be read, a destination that cannot be written).</exception>
    public void BackupTo(string destinationPath)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(destinationPath);
        var destinationFull = Path.GetFullPath(destinationPath);
        using var source = Open();
        try
        {
            using var destination = SqliteAuditDatabase.Open(
                SqliteAuditDatabase.ConnectionString(destinationFull, SqliteOpenMode.ReadWrite, _busyTimeout), _busyTimeout);
            source.BackupDatabase(destination);

            // The copied header keeps the source's WAL mode; the copy is to be one file, readable on its own.
            var mode = SqliteAuditDatabase.JournalMode(destination, "PRAGMA journal_mode = DELETE;");
            if (!string.Equals(mode, "delete", StringComparison.OrdinalIgnoreCase))
            {
                throw new IOException($"the copy {destinationFull} could not be taken out of WAL mode (journal mode '{mode}')");
            }
        }
        catch (SqliteException ex)
        {
            throw new IOException($"the audit database {DatabasePath} could not be copied to {destinationFull}: {ex.Message}", ex);
        }
    }

    /// <summary>
    /// The append-only triggers missing from the database: someone with file access dropped them (the store restores
    /// them when it next opens). Not proof of tampering by itself; <c>AuditVerifier</c> checks the records.
    /// </summary>
    public Task<IReadOnlyList<string>> MissingTriggersAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        try
        {
            using var connection = Open();
            return Task.FromResult<IReadOnlyList<string>>(SqliteAuditDatabase.MissingTriggers(connection));
        }
        catch (SqliteException ex)
        {
            return Task.FromException<IReadOnlyList<string>>(Unreadable(ex));
        }
    }

    private SqliteConnection Open()
    {
        var immutable = Volatile.Read(ref _immutable) == 1;
        SqliteConnection? connection = null;
        try
        {
            connection = SqliteAuditDatabase.Open(immutable ? _immutableConnectionString : _connectionString, _busyTimeout);
            if (Volatile.Read(ref _isAuditTrail) == 0)
            {
                // The first read of the file: what it holds, once (SQLite reads the schema, and the shared memory of a WAL database).
                if (SqliteAuditDatabase.NotAnAuditTrail(DatabasePath, SqliteAuditDatabase.UserTables(connection)) is { } notATrail)
                {
                    throw new AuditStoreUnavailableException(notATrail);
                }

                Volatile.Write(ref _isAuditTrail, 1);
            }

            return connection;
        }
        catch (SqliteException ex) when (!immutable && IsUnwritableFolder(ex))
        {
            connection?.Dispose();
            if (PendingChanges() is { } pending)
            {
                throw new AuditStoreUnavailableException(
                    $"the audit database {DatabasePath} cannot be read: {ex.Message}; its folder cannot be written, and {pending} holds changes not yet in the database file, so it cannot be read as it is: copy the database with that file to a folder that can be written", ex);
            }

            Volatile.Write(ref _immutable, 1);
            return Open();
        }
        catch (SqliteException ex) when (ex.SqliteErrorCode == SqliteAuditDatabase.NotADatabase)
        {
            connection?.Dispose();
            throw new AuditStoreUnavailableException($"{DatabasePath} is not an audit trail: it is not an SQLite database", ex);
        }
        catch (SqliteException ex)
        {
            connection?.Dispose();
            throw Unreadable(ex);
        }
        catch
        {
            connection?.Dispose();
            throw;
        }
    }

    /// <summary>
    /// True for the failures of a read-only connection to a database whose folder cannot be written: SQLite cannot open
    /// (or create) a WAL database's shared-memory file there.
    /// </summary>
    /// <summary>
    /// True when SQLite could not open the file read-only (CANTOPEN, READONLY: it could not create the shared memory
    /// file of a WAL database) because the folder cannot be written, as a probe file shows; any other cause (a missing
    /// file, no file descriptors left) is reported as it is, never read around.
    /// </summary>
    private bool IsUnwritableFolder(SqliteException ex)
    {
        if (!_mayReadImmutable || ex.SqliteErrorCode is not (14 or 8) || !File.Exists(DatabasePath))
        {
            return false;
        }

        var probe = Path.Combine(Path.GetDirectoryName(DatabasePath)!, "." + Path.GetFileName(DatabasePath) + ".write-probe");
        try
        {
            using (new FileStream(probe, FileMode.Create, FileAccess.Write, FileShare.None, 1, FileOptions.DeleteOnClose))
            {
                return false;
            }
        }
        catch (Exception e) when (e is UnauthorizedAccessException or IOException)
        {
            return true;
        }
    }

    /// <summary>The write-ahead log or rollback journal beside the database that holds changes, or null when neither does.</summary>
    private string? PendingChanges()
    {
        foreach (var suffix in (string[])["-wal", "-journal"])
        {
            var file = new FileInfo(DatabasePath + suffix);
            if (file.Exists && file.Length > 0)
            {
                return file.FullName;
            }
        }

        return null;
    }

    /// <summary>
    /// A read that failed in the database (a corrupt page, an I/O error, a lock held past the busy timeout) as the
    /// failure every store reports: <see cref="AuditStoreUnavailableException"/>, so that callers answer "cannot be read"
    /// rather than fail with an error of SQLite's.
    /// </summary>
    private AuditStoreUnavailableException Unreadable(SqliteException ex) =>
        new($"the audit database {DatabasePath} cannot be read: {ex.Message}", ex);

    private async Task<T> Guarded<T>(Task<T> read)
    {
        try
        {
            return await read.ConfigureAwait(false);
        }
        catch (SqliteException ex)
        {
            throw Unreadable(ex);
        }
    }

    private async IAsyncEnumerable<T> Guarded<T>(IAsyncEnumerable<T> read, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var items = read.WithCancellation(cancellationToken).ConfigureAwait(false).GetAsyncEnumerator();
        try
        {
            while (true)
            {
                try
                {
                    if (!await items.MoveNextAsync())
                    {
                        break;
                    }
                }
                catch (SqliteException ex)
                {
                    throw Unreadable(ex);
                }

                yield return items.Current;
            }
        }
        finally
        {
            await items.DisposeAsync();
        }
    }
}
