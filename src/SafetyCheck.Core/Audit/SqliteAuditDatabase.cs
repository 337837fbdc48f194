using System.Globalization;
using Microsoft.Data.Sqlite;

namespace SafetyCheck.Core.Audit;

/// <summary>
/// The SQLite layout of the audit trail and how every connection to it is opened. Tables: <c>decisions</c> (one row
/// per record, the canonical JSON plus index columns), <c>revisions</c> and <c>revision_files</c> (the archive);
/// <c>BEFORE UPDATE/DELETE</c> triggers abort any change to them. Every connection gets WAL, <c>synchronous=FULL</c>
/// (WAL with NORMAL can lose the last commits on power loss) and a busy timeout, because SQLite keeps these per
/// connection.
/// </summary>
internal static class SqliteAuditDatabase
{
    public const int SchemaVersion = 1;

    /// <summary>The triggers that make the tables append-only.</summary>
    public static readonly string[] Triggers =
    [
        "decisions_no_update", "decisions_no_delete",
        "revisions_no_update", "revisions_no_delete",
        "revision_files_no_update", "revision_files_no_delete",
    ];

    public const string DecisionColumns = "sequence, decision_id, recorded_at, verdict, revision, rule_ids, record, prev_hash, entry_hash";

    public const string Ddl = """
        CREATE TABLE IF NOT EXISTS decisions (
          sequence    INTEGER PRIMARY KEY,
          decision_id TEXT NOT NULL UNIQUE,
          recorded_at TEXT NOT NULL,
          verdict     TEXT NOT NULL,
          revision    TEXT NOT NULL,
          rule_ids    TEXT NOT NULL,
          record      TEXT NOT NULL,
          prev_hash   TEXT NOT NULL,
          entry_hash  TEXT NOT NULL
        ) STRICT;
        CREATE INDEX IF NOT EXISTS decisions_recorded_at ON decisions (recorded_at);
        CREATE INDEX IF NOT EXISTS decisions_revision ON decisions (revision);
        CREATE TABLE IF NOT EXISTS revisions (
          revision TEXT PRIMARY KEY,
          name     TEXT NOT NULL,
          version  TEXT NOT NULL
        ) STRICT;
        CREATE TABLE IF NOT EXISTS revision_files (
          revision TEXT NOT NULL REFERENCES revisions (revision),
          path     TEXT NOT NULL,
          content  BLOB NOT NULL,
          PRIMARY KEY (revision, path)
        ) STRICT;
        CREATE TRIGGER IF NOT EXISTS decisions_no_update BEFORE UPDATE ON decisions
          BEGIN SELECT RAISE(ABORT, 'audit decisions are append-only'); END;
        CREATE TRIGGER IF NOT EXISTS decisions_no_delete BEFORE DELETE ON decisions
          BEGIN SELECT RAISE(ABORT, 'audit decisions are append-only'); END;
        CREATE TRIGGER IF NOT EXISTS revisions_no_update BEFORE UPDATE ON revisions
          BEGIN SELECT RAISE(ABORT, 'archived revisions are append-only'); END;
        CREATE TRIGGER IF NOT EXISTS revisions_no_delete BEFORE DELETE ON revisions
          BEGIN SELECT RAISE(ABORT, 'archived revisions are append-only'); END;
        CREATE TRIGGER IF NOT EXISTS revision_files_no_update BEFORE UPDATE ON revision_files
          BEGIN SELECT RAISE(ABORT, 'archived revision files are append-only'); END;
        CREATE TRIGGER IF NOT EXISTS revision_files_no_delete BEFORE DELETE ON revision_files
          BEGIN SELECT RAISE(ABORT, 'archived revision files are append-only'); END;
        """;

    /// <summary>A connection string for <paramref name="path"/>; pooling off, so closing a connection releases the file.</summary>
    public static string ConnectionString(string path, SqliteOpenMode mode, TimeSpan busyTimeout) => new SqliteConnectionStringBuilder
    {
        DataSource = path,
        Mode = mode,
        Pooling = false,
        DefaultTimeout = Math.Max(1, (int)Math.Ceiling(busyTimeout.TotalSeconds)),
    }.ToString();

    /// <summary>Opens a connection and applies the per-connection settings.</summary>
    /// <exception cref="SqliteException">The file cannot be opened.</exception>
    /// <exception cref="AuditStoreUnavailableException">A writable connection could not switch to WAL.</exception>
    public static SqliteConnection Open(string connectionString, TimeSpan busyTimeout, bool writable)
    {
        var connection = new SqliteConnection(connectionString);
        try
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = string.Create(CultureInfo.InvariantCulture, $"PRAGMA busy_timeout = {(long)busyTimeout.TotalMilliseconds};");
            command.ExecuteNonQuery();

            // A read-only connection cannot change the journal mode; on a WAL database the pragma is a no-op for it.
            command.CommandText = "PRAGMA journal_mode = WAL;";
            var mode = command.ExecuteScalar() as string;
            if (writable && !string.Equals(mode, "wal", StringComparison.OrdinalIgnoreCase))
            {
                throw new AuditStoreUnavailableException($"the audit database could not switch to WAL (journal mode '{mode}'); is it on a network file system?");
            }

            command.CommandText = "PRAGMA synchronous = FULL;";
            command.ExecuteNonQuery();
            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    /// <summary>Append-only triggers absent from an existing audit database (empty for a database without tables).</summary>
    public static List<string> MissingTriggers(SqliteConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT type, name FROM sqlite_master WHERE type IN ('table', 'trigger');";
        var tables = new HashSet<string>(StringComparer.Ordinal);
        var triggers = new HashSet<string>(StringComparer.Ordinal);
        using (var row = command.ExecuteReader())
        {
            while (row.Read())
            {
                (row.GetString(0) == "table" ? tables : triggers).Add(row.GetString(1));
            }
        }

        return tables.Contains("decisions") ? [.. Triggers.Where(t => !triggers.Contains(t))] : [];
    }

    /// <summary>Reads a <c>decisions</c> row selected with <see cref="DecisionColumns"/>.</summary>
    public static StoredDecision ReadDecision(SqliteDataReader row) => new(
        row.GetInt64(0),
        row.GetString(1),
        row.GetString(2),
        row.GetString(3),
        row.GetString(4),
        row.GetString(5),
        row.GetString(6),
        row.GetString(7),
        row.GetString(8));
}
