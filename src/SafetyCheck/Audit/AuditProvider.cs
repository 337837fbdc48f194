namespace SafetyCheck.Audit;

/// <summary>Where the audit trail is kept (<c>SafetyCheck:Audit:Provider</c>).</summary>
internal enum AuditProvider
{
    /// <summary>An embedded SQLite file owned by one <c>serve</c>: the default, for one machine.</summary>
    Sqlite,

    /// <summary>A PostgreSQL database shared by several instances, one chain per instance.</summary>
    PostgreSql,
}
