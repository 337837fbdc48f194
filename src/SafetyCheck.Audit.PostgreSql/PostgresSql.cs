using Npgsql;
using SafetyCheck.Audit.Storage;

namespace SafetyCheck.Audit.PostgreSql;

/// <summary>The statements of the audit store and the small helpers that run them. Each primitive of the store is one statement here.</summary>
internal static class PostgresSql
{
    private const string S = PostgresAuditSchema.Name;

    public const string EntryColumns = "chain_id, sequence, kind, entry_id, recorded_at, verdict, revision, rule_ids, record, prev_hash, entry_hash";

    /// <summary>A batch of entries of one chain as parallel arrays, one statement (so one transaction, committed on return).</summary>
    public const string Append = $"""
        INSERT INTO {S}.entries ({EntryColumns})
        SELECT $1, * FROM unnest($2::bigint[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::text[], $11::text[]);
        """;

    /// <summary>A revision and its files with their digests, unless the revision is archived: one statement.</summary>
    public const string Archive = $"""
        WITH r AS (
          INSERT INTO {S}.revisions (revision, name, version) VALUES ($1, $2, $3) ON CONFLICT (revision) DO NOTHING RETURNING revision
        )
        INSERT INTO {S}.revision_files (revision, path, content, sha256)
        SELECT r.revision, f.path, f.content, f.sha256 FROM r, unnest($4::text[], $5::bytea[], $6::text[]) AS f (path, content, sha256);
        """;

    public const string Revisions = $"SELECT revision FROM {S}.revisions;";

    public const string VerifiedPoint = $"SELECT sequence, entry_hash FROM {S}.verified_points WHERE chain_id = $1 ORDER BY sequence DESC LIMIT 1;";

    /// <summary>A verified point of a chain, unless one at or past its sequence is recorded: points only move forward.</summary>
    public const string RecordVerifiedPoint = $"""
        INSERT INTO {S}.verified_points (chain_id, sequence, entry_hash)
        SELECT $1, $2, $3 WHERE $2 > (SELECT coalesce(max(sequence), 0) FROM {S}.verified_points WHERE chain_id = $1);
        """;

    /// <summary>The owning connection's round trip while nothing is written (health's liveness check).</summary>
    public const string Liveness = "SELECT 1;";

    public const string RegisterChain = $"INSERT INTO {S}.chains (chain_id) VALUES ($1) ON CONFLICT (chain_id) DO NOTHING;";

    public const string ChainLockKey = $"SELECT lock_key FROM {S}.chains WHERE chain_id = $1;";

    public static readonly string TryLockChain = $"SELECT pg_try_advisory_lock({PostgresAuditSchema.LockNamespace}, $1);";

    public const string ExistingIds = $"SELECT entry_id FROM {S}.entries WHERE entry_id = ANY($1);";

    public const string Head = $"SELECT sequence, entry_hash FROM {S}.entries WHERE chain_id = $1 ORDER BY sequence DESC LIMIT 1;";

    public const string Range = $"SELECT {EntryColumns} FROM {S}.entries WHERE chain_id = $1 AND sequence >= $2 ORDER BY sequence LIMIT $3;";

    public const string Get = $"SELECT {EntryColumns} FROM {S}.entries WHERE entry_id = $1;";

    public const string Chains = $"SELECT chain_id FROM {S}.chains;";

    /// <summary>Every chain's last sequence (0 when it has none): one seek in the primary key per chain.</summary>
    public const string ChainHeads =
        $"SELECT c.chain_id, coalesce((SELECT max(e.sequence) FROM {S}.entries AS e WHERE e.chain_id = c.chain_id), 0) FROM {S}.chains AS c;";

    /// <summary>
    /// Per chain, the latest decision that names a patient, with its pseudonym's key id, among the chain's last
    /// <see cref="KeyUseScan"/> decisions: a backward range of the primary key per chain, those records' JSON only.
    /// </summary>
    public static readonly string LatestKeyUses = $"""
        SELECT c.chain_id, k.sequence, k.recorded_at, k.key_id
        FROM {S}.chains AS c CROSS JOIN LATERAL (
          SELECT d.sequence, d.recorded_at, d.key_id FROM (
            SELECT e.sequence, e.recorded_at, e.record::jsonb -> 'patient' ->> 'key_id' AS key_id
            FROM {S}.entries AS e WHERE e.chain_id = c.chain_id AND e.kind = 'decision'
            ORDER BY e.sequence DESC LIMIT {KeyUseScan}) AS d
          WHERE d.key_id <> '' ORDER BY d.sequence DESC LIMIT 1) AS k
        ORDER BY c.chain_id COLLATE "C";
        """;

    /// <summary>How many of a chain's last decisions <see cref="LatestKeyUses"/> looks through for one that names a patient.</summary>
    public const int KeyUseScan = 64;

    /// <summary>The index columns of a chain's decisions in (after, through]: a range of the primary key.</summary>
    public const string DecisionSummaries = $"""
        SELECT {DecisionSummary.Columns} FROM {S}.entries
        WHERE chain_id = $1 AND sequence > $2 AND sequence <= $3 AND kind = 'decision' ORDER BY sequence;
        """;

    public const string IsArchived = $"SELECT EXISTS (SELECT 1 FROM {S}.revisions WHERE revision = $1);";

    public const string Revision = $"SELECT name, version FROM {S}.revisions WHERE revision = $1;";

    public const string RevisionFiles = $"SELECT path, content, sha256 FROM {S}.revision_files WHERE revision = $1;";

    public const string StoreId = $"SELECT store_id FROM {S}.store;";

    /// <summary>The append-only triggers that are present and enabled.</summary>
    public const string EnabledTriggers = $"""
        SELECT t.tgname FROM pg_trigger AS t JOIN pg_class AS c ON c.oid = t.tgrelid JOIN pg_namespace AS n ON n.oid = c.relnamespace
        WHERE n.nspname = '{S}' AND NOT t.tgisinternal AND t.tgenabled <> 'D';
        """;

    /// <summary>Rights the connected role should not have on the audit tables (owner, UPDATE, DELETE, TRUNCATE), one line each.</summary>
    public const string ExcessRights = $"""
        SELECT c.relname || ': ' || concat_ws(', ',
                 CASE WHEN pg_has_role(c.relowner, 'USAGE') THEN 'owner (may disable triggers)' END,
                 CASE WHEN has_table_privilege(c.oid, 'UPDATE') THEN 'UPDATE' END,
                 CASE WHEN has_table_privilege(c.oid, 'DELETE') THEN 'DELETE' END,
                 CASE WHEN has_table_privilege(c.oid, 'TRUNCATE') THEN 'TRUNCATE' END)
        FROM pg_class AS c JOIN pg_namespace AS n ON n.oid = c.relnamespace
        WHERE n.nspname = '{S}' AND c.relkind = 'r'
          AND (pg_has_role(c.relowner, 'USAGE') OR has_table_privilege(c.oid, 'UPDATE') OR has_table_privilege(c.oid, 'DELETE') OR has_table_privilege(c.oid, 'TRUNCATE'))
        ORDER BY c.relname;
        """;

    public static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    public static async Task<T> ScalarAsync<T>(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        return (T)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
    }

    /// <summary>Reads a row selected with <see cref="EntryColumns"/>.</summary>
    public static StoredEntry ReadEntry(NpgsqlDataReader row) => new(
        row.GetInt64(1),
        row.GetString(2),
        row.GetString(3),
        row.GetString(4),
        row.IsDBNull(5) ? null : row.GetString(5),
        row.IsDBNull(6) ? null : row.GetString(6),
        row.IsDBNull(7) ? null : row.GetString(7),
        row.GetString(8),
        row.GetString(9),
        row.GetString(10))
    {
        Chain = row.GetString(0),
    };

    /// <summary>The store's way of saying the database failed: <see cref="AuditStoreUnavailableException"/>, naming a missing schema.</summary>
    public static AuditStoreUnavailableException Unavailable(string what, Exception ex) => ex switch
    {
        AuditStoreUnavailableException unavailable => unavailable,
        PostgresException { SqlState: PostgresErrorCodes.UndefinedTable or PostgresErrorCodes.InvalidSchemaName } =>
            new AuditStoreUnavailableException($"{what}: the audit schema is missing; run 'safetycheck audit migrate' with the owner role", ex),
        PostgresException { SqlState: PostgresErrorCodes.InsufficientPrivilege } =>
            new AuditStoreUnavailableException($"{what}: the role has no right to it ({ex.Message}); grant it with 'safetycheck audit migrate --grant-writer ROLE'", ex),
        _ => new AuditStoreUnavailableException($"{what}: {ex.Message}", ex),
    };
}
