using SafetyCheck.Audit.PostgreSql;
using SafetyCheck.Audit.Sqlite;
using SafetyCheck.Audit.Storage;

namespace SafetyCheck.Audit;

/// <summary>Opens the store the settings name: the SQLite file, or this instance's chain in the PostgreSQL database.</summary>
internal static class AuditStores
{
    /// <summary>The storage <c>serve</c> writes through, owned (locked) from now until disposed.</summary>
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
