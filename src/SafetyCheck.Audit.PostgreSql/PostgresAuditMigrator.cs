using System.Globalization;
using Npgsql;
using SafetyCheck.Audit.Storage;

namespace SafetyCheck.Audit.PostgreSql;

/// <summary>
/// Creates or upgrades the audit schema (<see cref="PostgresAuditSchema"/>) and grants roles their rights, in one
/// transaction, serialised against concurrent migrations by an advisory lock. Run it with the role that is to own the
/// schema (<c>safetycheck audit migrate --connection-string …</c>), never with the service's role: the service only
/// reads and inserts, and refuses to start on a schema that is missing or of another version.
/// </summary>
public static class PostgresAuditMigrator
{
    /// <summary>
    /// Applies every migration step not applied yet, records them, gives the store its id on first run, and grants
    /// <paramref name="writerRoles"/> SELECT and INSERT (the service) and <paramref name="readerRoles"/> SELECT (auditors).
    /// Safe to run again: it then only grants.
    /// </summary>
    /// <exception cref="AuditStoreUnavailableException">The server cannot be reached, the database is not UTF-8, its schema is newer
    /// than this build, a role does not exist or is the owner itself; nothing was changed.</exception>
    public static async Task<PostgresMigrationResult> MigrateAsync(
        string connectionString,
        IReadOnlyList<string> writerRoles,
        IReadOnlyList<string> readerRoles,
        CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        ArgumentNullException.ThrowIfNull(writerRoles);
        ArgumentNullException.ThrowIfNull(readerRoles);
        try
        {
            await using var connection = new NpgsqlConnection(connectionString);
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            await PostgresSql.ExecuteAsync(connection, $"SELECT pg_advisory_xact_lock({PostgresAuditSchema.LockNamespace}, 0);", cancellationToken).ConfigureAwait(false);

            var encoding = await PostgresSql.ScalarAsync<string>(connection, "SELECT pg_encoding_to_char(encoding) FROM pg_database WHERE datname = current_database();", cancellationToken).ConfigureAwait(false);
            if (encoding != "UTF8")
            {
                throw new AuditStoreUnavailableException($"the database's encoding is {encoding}; the audit trail needs UTF8 (CREATE DATABASE … ENCODING 'UTF8')");
            }

            var from = await CurrentVersionAsync(connection, cancellationToken).ConfigureAwait(false);
            if (from > PostgresAuditSchema.Version)
            {
                throw new AuditStoreUnavailableException($"the audit schema is at version {from}; this build knows up to {PostgresAuditSchema.Version}");
            }

            for (var version = from + 1; version <= PostgresAuditSchema.Version; version++)
            {
                await PostgresSql.ExecuteAsync(connection, PostgresAuditSchema.Steps[version - 1], cancellationToken).ConfigureAwait(false);
                await PostgresSql.ExecuteAsync(connection, string.Create(CultureInfo.InvariantCulture, $"INSERT INTO {PostgresAuditSchema.Name}.migrations (version) VALUES ({version});"), cancellationToken).ConfigureAwait(false);
            }

            await PostgresSql.ExecuteAsync(connection, $"INSERT INTO {PostgresAuditSchema.Name}.store (store_id) SELECT gen_random_uuid() WHERE NOT EXISTS (SELECT 1 FROM {PostgresAuditSchema.Name}.store);", cancellationToken).ConfigureAwait(false);
            var storeId = await PostgresSql.ScalarAsync<Guid>(connection, $"SELECT store_id FROM {PostgresAuditSchema.Name}.store;", cancellationToken).ConfigureAwait(false);

            var granted = new List<string>();
            foreach (var (role, writer) in writerRoles.Select(r => (r, true)).Concat(readerRoles.Select(r => (r, false))))
            {
                var quoted = await QuotedRoleAsync(connection, role, cancellationToken).ConfigureAwait(false);
                await PostgresSql.ExecuteAsync(connection, writer ? PostgresAuditSchema.GrantWriter(quoted) : PostgresAuditSchema.GrantReader(quoted), cancellationToken).ConfigureAwait(false);
                granted.Add($"{role} ({(writer ? "SELECT, INSERT" : "SELECT")})");
            }

            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            return new PostgresMigrationResult(from, PostgresAuditSchema.Version, storeId, granted);
        }
        catch (NpgsqlException ex)
        {
            throw new AuditStoreUnavailableException($"the audit schema could not be migrated; nothing was changed: {ex.Message}", ex);
        }
    }

    /// <summary>The version of the audit schema in the database; 0 when there is none.</summary>
    internal static async Task<int> CurrentVersionAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        var exists = await PostgresSql.ScalarAsync<bool>(connection, $"SELECT to_regclass('{PostgresAuditSchema.Name}.migrations') IS NOT NULL;", cancellationToken).ConfigureAwait(false);
        return exists
            ? await PostgresSql.ScalarAsync<int>(connection, $"SELECT coalesce(max(version), 0) FROM {PostgresAuditSchema.Name}.migrations;", cancellationToken).ConfigureAwait(false)
            : 0;
    }

    private static async Task<string> QuotedRoleAsync(NpgsqlConnection connection, string role, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("SELECT quote_ident(rolname), rolname = current_user FROM pg_roles WHERE rolname = $1;", connection);
        command.Parameters.AddWithValue(role);
        await using var row = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        if (!await row.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            throw new AuditStoreUnavailableException($"there is no role '{role}'; create it first (CREATE ROLE {role} LOGIN PASSWORD '…')");
        }

        return row.GetBoolean(1)
            ? throw new AuditStoreUnavailableException($"'{role}' is the role running the migration, which owns the schema; the service and auditors need roles of their own")
            : row.GetString(0);
    }
}
