namespace SafetyCheck.Cli;

/// <summary><c>audit …</c>: the auditor's verbs over the decision records that <c>serve</c> keeps.</summary>
internal static class AuditCommand
{
    public static Command Create() => new("audit", """
        Reads the audit trail that serve writes: one hash-chained record per decision (no patient_ref, no birth
        date), with every rule revision archived; the same chain may hold entries of other kinds. Every verb reads the store from the same configuration as
        serve: SafetyCheck:Audit:Provider Sqlite (default) with the database path (--audit-db,
        SafetyCheck__Audit__DatabasePath, SafetyCheck:Audit:DatabasePath in appsettings.json, default
        .safetycheck/audit.db), or PostgreSql with SafetyCheck:Audit:ConnectionString (one chain per instance;
        verify, checkpoint, export and replay --all cover every chain). It reads without a lock, so it works
        while serve runs. 'audit backup' copies the SQLite database and verifies the copy (never the pseudonym
        key); 'audit migrate' creates the PostgreSQL schema with the owner role.

        Examples:
          safetycheck audit verify                                  recompute the chain; names the first bad sequence
          safetycheck audit checkpoint --output cp.txt              sign size + head; keep cp.txt elsewhere
          safetycheck audit verify --checkpoint cp.txt              also detect a truncated tail or a rewritten chain
          safetycheck audit list --verdict NOT_SUITABLE --from 2026-03-01
          safetycheck audit show 019a4c55-3f0e-7c1a-9d2b-5e8f00a1b2c3
          safetycheck audit replay 019a4c55-3f0e-7c1a-9d2b-5e8f00a1b2c3   re-evaluate on the archived revision
          safetycheck audit export --format jsonl --output decisions.jsonl
          safetycheck audit backup --output /backups/audit-2026-03-02.db   a verified copy, while serve runs

        Exit codes (every audit verb): 0 ok; 2 the check failed (verification failed, replay differs) or a bad
        argument (unknown option, bad value, unknown decision id); 1 cannot run (no database, unreadable file).
        """)
    {
        AuditVerifyCommand.Create(),
        AuditListCommand.Create(),
        AuditShowCommand.Create(),
        AuditReplayCommand.Create(),
        AuditExportCommand.Create(),
        AuditCheckpointCommand.Create(),
        AuditBackupCommand.Create(),
        AuditMigrateCommand.Create(),
    };
}
