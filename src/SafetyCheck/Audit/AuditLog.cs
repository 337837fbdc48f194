namespace SafetyCheck.Audit;

/// <summary>
/// Log messages of the audit trail. Never logs a patient_ref, a birth date, a pseudonym or a key, and never a stack
/// trace for a store failure (the chain writer logs those once per interval with a count).
/// </summary>
internal static partial class AuditLog
{
    [LoggerMessage(319, LogLevel.Information, "Audit trail {DatabasePath}: {Size} records, head {HeadHash}, pseudonym key {KeyId}")]
    public static partial void Opened(ILogger logger, string databasePath, long size, string headHash, string keyId);

    [LoggerMessage(317, LogLevel.Information, "Audit chain verified before appending: {Message}")]
    public static partial void StartVerified(ILogger logger, string message);

    [LoggerMessage(322, LogLevel.Warning, "The pseudonym key file {KeyPath} was missing, so a new key ({KeyId}) was created, but the audit trail already holds {Size} records: the same patient recorded before and after this start cannot be linked. Restore the key file and restart if it was lost")]
    public static partial void NewKeyForExistingTrail(ILogger logger, string keyPath, long size, string keyId);

    [LoggerMessage(334, LogLevel.Warning, "This instance pseudonymises patients with key {KeyId}, but the latest decisions of chains in use in this audit store carry other keys: {Chains}. The same patient recorded under different keys cannot be linked. Every instance must use the same SafetyCheck:Audit:PseudonymKey (and key id): correct this instance's key, or the others' if this one has the new key of a rotation (then this warning stops once every instance records with it)")]
    public static partial void OtherPseudonymKeys(ILogger logger, string keyId, string chains);

    [LoggerMessage(323, LogLevel.Warning, "Decisions before this start were recorded under pseudonym key {PreviousKeyId} (the latest that names a patient: sequence {Sequence}, {RecordedAt}), and this run records under {KeyId}: the same patient recorded before and after this start cannot be linked. If the key was not rotated on purpose, restore the previous SafetyCheck:Audit:PseudonymKey (or key file) and restart")]
    public static partial void PseudonymKeyChanged(ILogger logger, string previousKeyId, long sequence, string recordedAt, string keyId);

    [LoggerMessage(324, LogLevel.Warning, "The pseudonym keys the audit store last recorded patients under could not be compared with this instance's ({KeyId}): {Reason}")]
    public static partial void PseudonymKeysNotCompared(ILogger logger, string keyId, string reason);

    [LoggerMessage(325, LogLevel.Warning, "The pseudonym key is the file {KeyPath}, beside the audit database: a copy of the folder (a backup, say) holds the pseudonyms and the key that lets anyone holding it find a patient's decisions by trying likely patient references. Outside development, set SafetyCheck:Audit:PseudonymKey from a secret store and keep the key out of the database's backups")]
    public static partial void KeyFileBesideDatabase(ILogger logger, string keyPath);

    [LoggerMessage(326, LogLevel.Warning, "The pseudonym key file {KeyPath} could be read or written by others than its owner (mode {Mode}): it is now owner-only (0600). Someone may have copied it: if so, rotate the key (see README, Audit trail)")]
    public static partial void KeyFileNarrowed(ILogger logger, string keyPath, string mode);

    [LoggerMessage(337, LogLevel.Warning, "Audit trail files can be read or written by others than their owner: {Files}. They hold the pseudonymised record of every decision: the service creates its files owner-only (0600) but keeps the mode of files it finds (a database made by an early version, or copied or restored). Unless a group needs them on purpose, run: {Command}")]
    public static partial void TrailFilesOpenToOthers(ILogger logger, string files, string command);

    [LoggerMessage(338, LogLevel.Information, "The audit database {DatabasePath} was brought from layout {FromLayout} to layout {ToLayout}, its records unchanged; builds that know only layout {FromLayout} can no longer open it (keep the backup taken before the upgrade to go back)")]
    public static partial void LayoutUpgraded(ILogger logger, string databasePath, long fromLayout, int toLayout);

    [LoggerMessage(320, LogLevel.Warning, "The audit database had lost its append-only triggers ({Triggers}); they were restored. Someone with file access dropped them: run 'safetycheck audit verify'")]
    public static partial void TriggersRestored(ILogger logger, string triggers);

    [LoggerMessage(332, LogLevel.Information, "Audit trail {Database}: chain {Chain} of store {StoreId}, {Size} records, head {HeadHash}, pseudonym key {KeyId}")]
    public static partial void OpenedChain(ILogger logger, string database, string chain, Guid storeId, long size, string headHash, string keyId);

    [LoggerMessage(333, LogLevel.Warning, "The service's database role has more rights on the audit tables than SELECT and INSERT ({Rights}): the triggers still refuse changes, but an owner can disable them. Run the service with a role of its own (see 'safetycheck audit migrate --help')")]
    public static partial void ExcessRights(ILogger logger, string rights);

    [LoggerMessage(308, LogLevel.Information, "Closing the audit trail: committing queued records")]
    public static partial void Closing(ILogger logger);

    [LoggerMessage(340, LogLevel.Information, "The audit trail is closed: the queued records are committed, {Head}")]
    public static partial void Closed(ILogger logger, string head);

    [LoggerMessage(339, LogLevel.Information, "Created a new, empty audit trail at {DatabasePath}: no database was there. If this service had a trail, its path changed: stop the service and point SafetyCheck:Audit:DatabasePath (or --audit-db) at the trail")]
    public static partial void CreatedNew(ILogger logger, string databasePath);

    [LoggerMessage(313, LogLevel.Information, "Full audit verification passed: {Message}")]
    public static partial void FullVerificationPassed(ILogger logger, string message);

    [LoggerMessage(314, LogLevel.Critical, "Full audit verification failed; the chain is refused and nothing more is recorded: {Message}")]
    public static partial void FullVerificationFailed(ILogger logger, string message);

    [LoggerMessage(315, LogLevel.Warning, "Full audit verification could not run: {Reason}")]
    public static partial void FullVerificationNotRun(ILogger logger, string reason);

    [LoggerMessage(327, LogLevel.Information, "Audit records {From} to {To} verify; sequence {To} is the new verified point")]
    public static partial void IncrementalVerificationPassed(ILogger logger, long from, long to);

    [LoggerMessage(328, LogLevel.Critical, "Audit verification of the records appended since the last verified point failed; the chain is refused and nothing more is recorded: {Message}")]
    public static partial void IncrementalVerificationFailed(ILogger logger, string message);

    [LoggerMessage(336, LogLevel.Critical, "Audit verification started by {Source} failed; the chain is refused and nothing more is recorded: {Message}")]
    public static partial void OnDemandVerificationFailed(ILogger logger, string source, string message);

    [LoggerMessage(329, LogLevel.Warning, "Audit verification of the records appended since the last verified point could not run (tried again in {Minutes} min): {Reason}")]
    public static partial void IncrementalVerificationNotRun(ILogger logger, int minutes, string reason);

    [LoggerMessage(316, LogLevel.Error, "The audit store did not close cleanly before the shutdown bound: a store write was still running")]
    public static partial void NotClosedCleanly(ILogger logger);
}
