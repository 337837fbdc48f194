using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using Microsoft.Data.Sqlite;
using SafetyCheck.Audit.Json;
using SafetyCheck.Audit.Storage;
using SafetyCheck.Core.Domain;
using SafetyCheck.Core.Rules;

namespace SafetyCheck.Audit.Sqlite;

/// <summary>
/// Reads an audit database without owning it: every call opens its own read-only connection (<c>Mode=ReadOnly</c>,
/// WAL, <c>synchronous=FULL</c>, busy timeout) and takes no lock file, so auditor tools can read while
/// <c>serve</c> appends. Each call sees the entries committed when it started. Reads every layout: a database written
/// before entry kinds (layout 1) or before file digests and verified points (layout 2) is read as it is until a store opens it. Thread-safe; nothing to dispose.
/// </summary>
public sealed class SqliteAuditReader : IAuditReader
{
    private const string PageTokenPrefix = "after:";

    private readonly string _connectionString;
    private readonly TimeSpan _busyTimeout;

    /// <summary>A reader of the database at <paramref name="databasePath"/>.</summary>
    /// <param name="databasePath">Path of an existing audit database.</param>
    /// <param name="busyTimeout">How long a call waits for a lock before failing; default 5 s.</param>
    /// <exception cref="AuditStoreUnavailableException">There is no database at the path.</exception>
    public SqliteAuditReader(string databasePath, TimeSpan? busyTimeout = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(databasePath);
        var fullPath = Path.GetFullPath(databasePath);
        if (!File.Exists(fullPath))
        {
            throw new AuditStoreUnavailableException($"there is no audit database at {fullPath}");
        }

        DatabasePath = fullPath;
        _busyTimeout = busyTimeout ?? TimeSpan.FromSeconds(5);
        _connectionString = SqliteAuditDatabase.ConnectionString(fullPath, SqliteOpenMode.ReadOnly, _busyTimeout);
    }

    /// <summary>Absolute path of the database.</summary>
    public string DatabasePath { get; }

    /// <inheritdoc/>
    public async Task<StoredEntry?> GetAsync(string entryId, CancellationToken cancellationToken = default)
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
    public async Task<EntryPage> ListAsync(EntryFilter filter, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(filter);
        if (filter.PageSize is < 1 or > EntryFilter.MaxPageSize)
        {
            throw new ArgumentException($"The page size is 1–{EntryFilter.MaxPageSize}.", nameof(filter));
        }

        var after = ReadPageToken(filter.PageToken);
        using var connection = Open();
        using var command = connection.CreateCommand();
        var sql = new StringBuilder($"SELECT {SqliteAuditDatabase.EntryColumns} FROM {SqliteAuditDatabase.EntriesSource(connection)} AS d WHERE d.sequence > $after");
        command.Parameters.AddWithValue("$after", after);
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

        if (filter.RuleId is { } ruleId)
        {
            sql.Append(" AND EXISTS (SELECT 1 FROM json_each(d.rule_ids) AS r WHERE r.value = $rule)");
            command.Parameters.AddWithValue("$rule", ruleId);
        }

        sql.Append(" ORDER BY d.sequence LIMIT $limit;");
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
        return new EntryPage(items, WritePageToken(items[^1].Sequence));
    }

    /// <inheritdoc/>
    public async IAsyncEnumerable<StoredEntry> ReadRangeAsync(
        long fromSequence,
        int count,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
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
    public async Task<ArchivedRevision?> GetRevisionAsync(string revision, CancellationToken cancellationToken = default)
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
    public async Task<IReadOnlyList<string>> ListRevisionsAsync(CancellationToken cancellationToken = default)
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

    /// <summary>The last verified point recorded by the store; null when none was (or the layout predates them).</summary>
    /// <exception cref="AuditStoreUnavailableException">The database cannot be read.</exception>
    internal async Task<AuditHead?> VerifiedPointAsync(CancellationToken cancellationToken = default)
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
    public async Task<bool> IsRevisionArchivedAsync(string revision, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(revision);
        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT 1 FROM revisions WHERE revision = $revision;";
        command.Parameters.AddWithValue("$revision", revision);
        return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is not null;
    }

    /// <inheritdoc/>
    public async Task<AuditHead> HeadAsync(CancellationToken cancellationToken = default)
    {
        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT sequence, entry_hash FROM {SqliteAuditDatabase.EntriesSource(connection)} ORDER BY sequence DESC LIMIT 1;";
        using var row = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await row.ReadAsync(cancellationToken).ConfigureAwait(false) ? new AuditHead(row.GetInt64(0), row.GetString(1)) : AuditHead.Empty;
    }

    /// <summary>
    /// The append-only triggers missing from the database: someone with file access dropped them (the store restores
    /// them when it next opens). Not proof of tampering by itself; <c>AuditVerifier</c> checks the records.
    /// </summary>
    public Task<IReadOnlyList<string>> MissingTriggersAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        using var connection = Open();
        return Task.FromResult<IReadOnlyList<string>>(SqliteAuditDatabase.MissingTriggers(connection));
    }

    private static long ReadPageToken(string? token)
    {
        if (string.IsNullOrEmpty(token))
        {
            return 0;
        }

        try
        {
            var text = Encoding.UTF8.GetString(Convert.FromBase64String(token));
            if (text.StartsWith(PageTokenPrefix, StringComparison.Ordinal)
                && long.TryParse(text.AsSpan(PageTokenPrefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out var after))
            {
                return after;
            }
        }
        catch (FormatException)
        {
            // Reported below.
        }

        throw new ArgumentException("The page token is not one this store issued.", nameof(token));
    }

    private static string WritePageToken(long lastSequence) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes(PageTokenPrefix + lastSequence.ToString(CultureInfo.InvariantCulture)));

    private SqliteConnection Open()
    {
        try
        {
            return SqliteAuditDatabase.Open(_connectionString, _busyTimeout, writable: false);
        }
        catch (SqliteException ex)
        {
            throw new AuditStoreUnavailableException($"the audit database {DatabasePath} cannot be read: {ex.Message}", ex);
        }
    }
}
