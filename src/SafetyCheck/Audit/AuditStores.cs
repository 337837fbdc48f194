using SafetyCheck.Audit.PostgreSql;
using SafetyCheck.Audit.Sqlite;
using SafetyCheck.Audit.Storage;

namespace SafetyCheck.Audit;

/// <summary>Opens the store the settings name: the SQLite file, or this instance's chain in the PostgreSQL database.</summary>
internal static class AuditStores
{
    /// <summary>The storage <c>serve</c> writes through, owned (locked) from now until disposed.</summary>
    /// <remarks>
    /// Blocks its thread until the store is open: a SQLite file opens synchronously; a PostgreSQL store is opened by
    /// network round trips (connect, schema check, chain lock), each bounded by Npgsql's timeouts (the connection
    /// string's Timeout and Command Timeout). Called when the storage is first resolved, which the host does while it
    /// resolves its hosted services, before it serves.
    /// </remarks>
    /// <exception cref="AuditStoreUnavailableException">The store cannot be opened or is held by another instance.</exception>
    public static IAuditStorage OpenStorage(AuditStoreSettings settings, AuditPaths paths)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(paths);
        return settings.Provider == AuditProvider.PostgreSql
            ? PostgresAuditStorage.OpenAsync(settings.ConnectionString!, new PostgresAuditStorageOptions { InstanceId = settings.InstanceId }).GetAwaiter().GetResult()
            : SqliteAuditStorage.Open(paths.DatabasePath);
    }

    /// <summary>Every chain of the store behind <paramref name="storage"/>: its own, or every instance's in a shared database.</summary>
    public static IAuditChainSet ChainsOf(IAuditStorage storage) => storage as IAuditChainSet ?? new SingleChainSet(storage);
}
