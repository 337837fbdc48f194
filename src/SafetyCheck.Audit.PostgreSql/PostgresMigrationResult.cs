namespace SafetyCheck.Audit.PostgreSql;

/// <summary>What a migration did.</summary>
/// <param name="FromVersion">The schema version found (0: there was no schema).</param>
/// <param name="ToVersion">The schema version now.</param>
/// <param name="StoreId">The store's id, named in checkpoint origins.</param>
/// <param name="Granted">The roles granted rights, each with what it may do.</param>
public sealed record PostgresMigrationResult(int FromVersion, int ToVersion, Guid StoreId, IReadOnlyList<string> Granted);
