using System.Globalization;
using Microsoft.Data.Sqlite;
using SafetyCheck.Audit.Storage;

namespace SafetyCheck.Audit.Sqlite;

/// <summary>
/// The SQLite layout of the audit trail and how every connection to it is opened. Layout 3 (<c>PRAGMA user_version =
/// 3</c>): <c>entries</c> (one row per chain entry of any kind: the canonical record plus index columns),
/// <c>revisions</c> and <c>revision_files</c> (the archive, each file with the SHA-256 of its bytes recorded when it
/// was archived), and <c>verified_points</c> (heads of prefixes a verification found intact); <c>BEFORE
/// UPDATE/DELETE</c> triggers abort any change to them. Layout 2 had no file digests and no verified points: the store
/// adds both when it opens it (files archived before keep a null digest). Layout 1, written before entry kinds, kept
/// decisions in a <c>decisions</c> table; readers read it as it is and the store moves its rows, byte for byte, into
/// <c>entries</c> when it first opens it for writing. The store puts the file in WAL mode; every connection gets
/// <c>synchronous=FULL</c> (WAL with NORMAL can lose the last commits on power loss) and a busy timeout, because SQLite
/// keeps these per connection, and readers leave the journal mode as they find it. Indexes are not part of the layout: databases written before keep the same tables and
/// rows, and lose an index on <c>revision</c> alone that <c>entries_revision_recorded_at</c> (which starts with it)
/// serves as well, one B-tree less to update on every append.
/// </summary>
internal static class SqliteAuditDatabase
{
    public const int SchemaVersion = 3;

    /// <summary>SQLite's extended result code for a UNIQUE constraint (a second row with the same entry id).</summary>
    public const int UniqueConstraint = 2067;

    /// <summary>
    /// The append-only tables of every layout (layout 1's <c>decisions</c> is layout 2's <c>entries</c>); each has a
    /// <c>&lt;table&gt;_no_update</c> and a <c>&lt;table&gt;_no_delete</c> trigger.
    /// </summary>
    public static readonly string[] AppendOnlyTables = ["entries", "decisions", "revisions", "revision_files", "verified_points"];

    /// <summary>The caller of a decision, read from its record: the expression the caller index is built on (filters must use it verbatim).</summary>
    public const string CallerExpression = "json_extract(record, '$.caller')";

    public const string EntryColumns = "sequence, kind, entry_id, recorded_at, verdict, revision, rule_ids, record, prev_hash, entry_hash";

    /// <summary>Layout 1's decisions as layout 2's entries, for reading a database the store has not opened since.</summary>
    public const string Layout1Entries =
        "(SELECT sequence, 'decision' AS kind, decision_id AS entry_id, recorded_at, verdict, revision, rule_ids, record, prev_hash, entry_hash FROM decisions)";

    public const string Ddl = """
        CREATE TABLE IF NOT EXISTS entries (
          sequence    INTEGER PRIMARY KEY,
          kind        TEXT NOT NULL,
          entry_id    TEXT NOT NULL UNIQUE,
          recorded_at TEXT NOT NULL,
          verdict     TEXT,
          revision    TEXT,
          rule_ids    TEXT,
          record      TEXT NOT NULL,
          prev_hash   TEXT NOT NULL,
          entry_hash  TEXT NOT NULL
        ) STRICT;
        CREATE INDEX IF NOT EXISTS entries_recorded_at ON entries (recorded_at);
        DROP INDEX IF EXISTS entries_revision;
        CREATE INDEX IF NOT EXISTS entries_verdict_recorded_at ON entries (verdict, recorded_at);
        CREATE INDEX IF NOT EXISTS entries_revision_recorded_at ON entries (revision, recorded_at);
        CREATE INDEX IF NOT EXISTS entries_caller_recorded_at ON entries (json_extract(record, '$.caller'), recorded_at);
        CREATE TABLE IF NOT EXISTS revisions (
          revision TEXT PRIMARY KEY,
          name     TEXT NOT NULL,
          version  TEXT NOT NULL
        ) STRICT;
        CREATE TABLE IF NOT EXISTS revision_files (
          revision TEXT NOT NULL REFERENCES revisions (revision),
          path     TEXT NOT NULL,
          content  BLOB NOT NULL,
          sha256   TEXT,
          PRIMARY KEY (revision, path)
        ) STRICT;
        CREATE TABLE IF NOT EXISTS verified_points (
          sequence   INTEGER PRIMARY KEY,
          entry_hash TEXT NOT NULL
        ) STRICT;
        CREATE TRIGGER IF NOT EXISTS entries_no_update BEFORE UPDATE ON entries
          BEGIN SELECT RAISE(ABORT, 'audit entries are append-only'); END;
        CREATE TRIGGER IF NOT EXISTS entries_no_delete BEFORE DELETE ON entries
          BEGIN SELECT RAISE(ABORT, 'audit entries are append-only'); END;
        CREATE TRIGGER IF NOT EXISTS revisions_no_update BEFORE UPDATE ON revisions
          BEGIN SELECT RAISE(ABORT, 'archived revisions are append-only'); END;
        CREATE TRIGGER IF NOT EXISTS revisions_no_delete BEFORE DELETE ON revisions
          BEGIN SELECT RAISE(ABORT, 'archived revisions are append-only'); END;
        CREATE TRIGGER IF NOT EXISTS revision_files_no_update BEFORE UPDATE ON revision_files
          BEGIN SELECT RAISE(ABORT, 'archived revision files are append-only'); END;
        CREATE TRIGGER IF NOT EXISTS revision_files_no_delete BEFORE DELETE ON revision_files
          BEGIN SELECT RAISE(ABORT, 'archived revision files are append-only'); END;
        CREATE TRIGGER IF NOT EXISTS verified_points_no_update BEFORE UPDATE ON verified_points
          BEGIN SELECT RAISE(ABORT, 'verified points are append-only'); END;
        CREATE TRIGGER IF NOT EXISTS verified_points_no_delete BEFORE DELETE ON verified_points
          BEGIN SELECT RAISE(ABORT, 'verified points are append-only'); END;
        """;

    /// <summary>Layout 2 → 3: archived files get a digest column (null for the files already archived).</summary>
    public const string AddFileDigests = "ALTER TABLE revision_files ADD COLUMN sha256 TEXT;";

    /// <summary>
    /// Moves layout 1's decisions into <c>entries</c> (created by <see cref="Ddl"/> first), unchanged, and drops the old
    /// table. Run inside the schema transaction; the row counts are compared before the old table goes.
    /// </summary>
    public const string MoveLayout1 = """
        INSERT INTO entries (sequence, kind, entry_id, recorded_at, verdict, revision, rule_ids, record, prev_hash, entry_hash)
          SELECT sequence, 'decision', decision_id, recorded_at, verdict, revision, rule_ids, record, prev_hash, entry_hash
          FROM decisions ORDER BY sequence;
        """;

    public const string DropLayout1 = """
        DROP TRIGGER IF EXISTS decisions_no_update;
        DROP TRIGGER IF EXISTS decisions_no_delete;
        DROP TABLE decisions;
        """;

    /// <summary>A connection string for <paramref name="path"/>; pooling off, so closing a connection releases the file.</summary>
    public static string ConnectionString(string path, SqliteOpenMode mode, TimeSpan busyTimeout) => new SqliteConnectionStringBuilder
    {
        DataSource = path,
        Mode = mode,
        Pooling = false,
        DefaultTimeout = Math.Max(1, (int)Math.Ceiling(busyTimeout.TotalSeconds)),
    }.ToString();

    /// <summary>
    /// Opens a connection and applies the per-connection settings (busy timeout, <c>synchronous=FULL</c>). The journal
    /// mode is left as the file has it: a reader never changes it (it cannot, and must not, write), and the store
    /// switches to WAL only when it prepares the database for writing (<see cref="SwitchToWal"/>).
    /// </summary>
    /// <exception cref="SqliteException">The file cannot be opened.</exception>
    public static SqliteConnection Open(string connectionString, TimeSpan busyTimeout)
    {
        var connection = new SqliteConnection(connectionString);
        try
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = string.Create(CultureInfo.InvariantCulture, $"PRAGMA busy_timeout = {(long)busyTimeout.TotalMilliseconds}; PRAGMA synchronous = FULL; PRAGMA journal_size_limit = {WalSizeLimitBytes};");
            command.ExecuteNonQuery();
            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    /// <summary>
    /// The size the WAL file is cut back to when a checkpoint has emptied it (SQLite's <c>journal_size_limit</c>): a long
    /// read (an <c>audit verify</c> or export beside a busy service) keeps checkpoints from emptying it, so it grows while
    /// the read lasts; without a limit the file then keeps that size until the service stops. 16 MiB; under steady load
    /// the WAL stays near 4 MiB.
    /// </summary>
    public const long WalSizeLimitBytes = 16L * 1024 * 1024;

    /// <summary>Switches a writable connection's database to WAL (persistent in the file).</summary>
    /// <exception cref="AuditStoreUnavailableException">It could not switch to WAL.</exception>
    public static void SwitchToWal(SqliteConnection connection)
    {
        var mode = JournalMode(connection, "PRAGMA journal_mode = WAL;");
        if (!string.Equals(mode, "wal", StringComparison.OrdinalIgnoreCase))
        {
            throw new AuditStoreUnavailableException($"the audit database could not switch to WAL (journal mode '{mode}'); is it on a network file system?");
        }
    }

    /// <summary>The tables of an audit trail, in any layout; a database that holds other tables but none of these is not one.</summary>
    public static readonly string[] AuditTables = ["entries", "decisions", "revisions", "revision_files", "verified_points"];

    /// <summary>The database's own tables: every table but SQLite's internal <c>sqlite_…</c> ones.</summary>
    public static List<string> UserTables(SqliteConnection connection) =>
        [.. Objects(connection).Tables.Where(t => !t.StartsWith("sqlite_", StringComparison.Ordinal)).Order(StringComparer.Ordinal)];

    /// <summary>
    /// Why the file at <paramref name="path"/> is not an audit trail although it is an SQLite database, or null when it
    /// holds a table of the trail's: <paramref name="tables"/> are its own tables (<see cref="UserTables"/>).
    /// </summary>
    public static string? NotAnAuditTrail(string path, IReadOnlyList<string> tables)
    {
        if (tables.Any(t => AuditTables.Contains(t, StringComparer.Ordinal)))
        {
            return null;
        }

        return tables.Count == 0
            ? $"{path} is not an audit trail: it holds no tables{(new FileInfo(path).Length == 0 ? " (the file is empty)" : "")}"
            : $"{path} is not an audit trail: it holds other tables ({Names(tables)}) and none of the trail's";
    }

    /// <summary>SQLite's primary result code for a file that is not a database (<c>SQLITE_NOTADB</c>).</summary>
    public const int NotADatabase = 26;

    private static string Names(IReadOnlyList<string> tables) =>
        tables.Count <= 5 ? string.Join(", ", tables) : string.Create(CultureInfo.InvariantCulture, $"{string.Join(", ", tables.Take(5))} and {tables.Count - 5} more");

    /// <summary>Runs a <c>PRAGMA journal_mode</c> statement and returns the journal mode it reports.</summary>
    public static string? JournalMode(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar() as string;
    }

    /// <summary>The tables and triggers of the database.</summary>
    public static (HashSet<string> Tables, HashSet<string> Triggers) Objects(SqliteConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT type, name FROM sqlite_master WHERE type IN ('table', 'trigger');";
        var tables = new HashSet<string>(StringComparer.Ordinal);
        var triggers = new HashSet<string>(StringComparer.Ordinal);
        using var row = command.ExecuteReader();
        while (row.Read())
        {
            (row.GetString(0) == "table" ? tables : triggers).Add(row.GetString(1));
        }

        return (tables, triggers);
    }

    /// <summary>Append-only triggers absent from the tables an audit database has, whatever its layout (empty for a database without tables).</summary>
    public static List<string> MissingTriggers(SqliteConnection connection)
    {
        var (tables, triggers) = Objects(connection);
        return [.. AppendOnlyTables.Where(tables.Contains).SelectMany(t => (string[])[t + "_no_update", t + "_no_delete"]).Where(t => !triggers.Contains(t))];
    }

    /// <summary>True when <paramref name="table"/> has a column named <paramref name="column"/>.</summary>
    public static bool HasColumn(SqliteConnection connection, string table, string column)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT 1 FROM pragma_table_info($table) WHERE name = $column;";
        command.Parameters.AddWithValue("$table", table);
        command.Parameters.AddWithValue("$column", column);
        return command.ExecuteScalar() is not null;
    }

    /// <summary>What to select entries from: the <c>entries</c> table, or layout 1's decisions read as entries.</summary>
    public static string EntriesSource(SqliteConnection connection)
    {
        var tables = Objects(connection).Tables;
        return tables.Contains("decisions") && !tables.Contains("entries") ? Layout1Entries : "entries";
    }

    /// <summary>Reads an entry row selected with <see cref="EntryColumns"/>.</summary>
    public static StoredEntry ReadEntry(SqliteDataReader row) => new(
        row.GetInt64(0),
        row.GetString(1),
        row.GetString(2),
        row.GetString(3),
        row.IsDBNull(4) ? null : row.GetString(4),
        row.IsDBNull(5) ? null : row.GetString(5),
        row.IsDBNull(6) ? null : row.GetString(6),
        row.GetString(7),
        row.GetString(8),
        row.GetString(9));
}
