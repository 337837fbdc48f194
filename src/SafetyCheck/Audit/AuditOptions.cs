namespace SafetyCheck.Audit;

/// <summary>
/// Settings from the <c>SafetyCheck:Audit</c> configuration section (appsettings.json, <c>SafetyCheck__Audit__…</c>
/// environment variables, and <c>--audit-db</c> for the database path). Shared by <c>serve</c> and the <c>audit</c> verbs.
/// </summary>
internal sealed class AuditOptions
{
    public const string Section = "SafetyCheck:Audit";

    /// <summary>The default database path, relative to the current directory (git-ignored in the repository).</summary>
    public const string DefaultDatabasePath = ".safetycheck/audit.db";

    /// <summary>Where the trail is kept: <c>Sqlite</c> (default) or <c>PostgreSql</c> (case-insensitive).</summary>
    public string? Provider { get; set; }

    /// <summary>
    /// With <c>PostgreSql</c>: the Npgsql connection string of the service's role (SELECT and INSERT on the audit schema
    /// only; the schema is created by <c>audit migrate</c> with the owner role). Never logged.
    /// </summary>
    public string? ConnectionString { get; set; }

    /// <summary>
    /// With <c>PostgreSql</c>: this instance's chain, stable across its restarts and different for every instance
    /// running at once. Default: the host name, lower case, other characters than letters, digits, '.', '_', '-' as '-'.
    /// </summary>
    public string? InstanceId { get; set; }

    /// <summary>
    /// The SQLite audit database. Default <c>.safetycheck/audit.db</c>; a relative path is taken from the current
    /// directory. Created (with its folder) by <c>serve</c> when missing.
    /// </summary>
    public string? DatabasePath { get; set; }

    /// <summary>
    /// The pseudonym key as base64 (at least 16 bytes). Default: none, and a 32-byte key is generated on first run into
    /// <c>&lt;db&gt;.key</c> (owner-only). Never logged.
    /// </summary>
    public string? PseudonymKey { get; set; }

    /// <summary>Names the pseudonym key in every record. Default: <c>k-</c> and 8 hex digits of SHA-256 of the key.</summary>
    public string? PseudonymKeyId { get; set; }

    /// <summary>
    /// PEM file of the ECDSA P-256 private key that signs checkpoints. Default <c>&lt;db&gt;.checkpoint-key.pem</c>, generated
    /// by the first <c>audit checkpoint</c>. A relative path is taken from the current directory.
    /// </summary>
    public string? CheckpointKeyPath { get; set; }
}
