namespace SafetyCheck.Audit;

/// <summary>Log messages of the audit trail. Never logs a patient_ref, a birth date, a pseudonym or a key.</summary>
internal static partial class AuditLog
{
    [LoggerMessage(301, LogLevel.Information, "Audit trail {DatabasePath}: {Size} records, head {HeadHash}, pseudonym key {KeyId}")]
    public static partial void Opened(ILogger logger, string databasePath, long size, string headHash, string keyId);

    [LoggerMessage(302, LogLevel.Warning, "The audit database had lost its append-only triggers ({Triggers}); they were restored. Someone with file access dropped them: run 'safetycheck audit verify'")]
    public static partial void TriggersRestored(ILogger logger, string triggers);

    [LoggerMessage(309, LogLevel.Information, "Audit trail {Database}: chain {Chain} of store {StoreId}, {Size} records, head {HeadHash}, pseudonym key {KeyId}")]
    public static partial void OpenedChain(ILogger logger, string database, string chain, Guid storeId, long size, string headHash, string keyId);
    [LoggerMessage(310, LogLevel.Warning, "The service's database role has more rights on the audit tables than SELECT and INSERT ({Rights}): the triggers still refuse changes, but an owner can disable them. Run the service with a role of its own (see 'safetycheck audit migrate --help')")]
    public static partial void ExcessRights(ILogger logger, string rights);

    [LoggerMessage(308, LogLevel.Information, "Closing the audit trail: committing queued records")]
    public static partial void Closing(ILogger logger);
}
