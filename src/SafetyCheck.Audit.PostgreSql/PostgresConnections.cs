using Npgsql;
using SafetyCheck.Audit.Storage;

namespace SafetyCheck.Audit.PostgreSql;

/// <summary>How the audit store connects: every session commits synchronously, and the schema must be this build's.</summary>
internal static class PostgresConnections
{
    /// <summary>
    /// A data source for <paramref name="connectionString"/> whose sessions run with <c>synchronous_commit = on</c>
    /// (a commit returns once its WAL is flushed, whatever the server's default), named <c>safetycheck-audit</c> in
    /// <c>pg_stat_activity</c> unless the string names it.
    /// </summary>
    /// <exception cref="AuditStoreUnavailableException">The connection string cannot be read.</exception>
    public static NpgsqlDataSource CreateDataSource(string connectionString, bool pooling = true)
    {
        NpgsqlDataSourceBuilder builder;
        try
        {
            builder = new NpgsqlDataSourceBuilder(connectionString);
        }
        catch (ArgumentException ex)
        {
            throw new AuditStoreUnavailableException($"the audit connection string cannot be read: {ex.Message}", ex);
        }

        var settings = builder.ConnectionStringBuilder;
        settings.ApplicationName ??= "safetycheck-audit";
        settings.Options = string.IsNullOrWhiteSpace(settings.Options) ? "-c synchronous_commit=on" : settings.Options + " -c synchronous_commit=on";
        settings.Pooling = pooling && settings.Pooling;
        return builder.Build();
    }

    /// <summary>Refuses a database without the audit schema, or with another version of it (the service never creates schema).</summary>
    public static async Task CheckSchemaAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        var version = await PostgresAuditMigrator.CurrentVersionAsync(connection, cancellationToken).ConfigureAwait(false);
        if (version == 0)
        {
            throw new AuditStoreUnavailableException(
                $"the database {connection.Database} has no audit schema ({PostgresAuditSchema.Name}); create it with the owner role: safetycheck audit migrate --connection-string '…' --grant-writer <service role>");
        }

        if (version != PostgresAuditSchema.Version)
        {
            throw new AuditStoreUnavailableException(version < PostgresAuditSchema.Version
                ? $"the audit schema is at version {version}; this build needs {PostgresAuditSchema.Version}: run 'safetycheck audit migrate' with the owner role"
                : $"the audit schema is at version {version}; this build knows up to {PostgresAuditSchema.Version}: run a build that knows it, or restore the backup taken before the migration");
        }
    }
}
