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
    /// PEM file of the ECDSA P-256 private key that signs checkpoints (<c>audit checkpoint --key</c> wins). No default:
    /// it must be outside the database's folder (a key beside the database is refused), and is generated there by the
    /// first <c>audit checkpoint</c> when missing. A relative path is taken from the current directory.
    /// </summary>
    public string? CheckpointKeyPath { get; set; }

    /// <summary>
    /// A command that signs checkpoints instead of a key file (<c>audit checkpoint --signer</c> wins): run with
    /// <c>/bin/sh -c</c>, it gets the checkpoint body on stdin and prints its ECDSA P-256 SHA-256 signature, DER, as
    /// base64 on stdout. Needs <see cref="CheckpointPublicKeyPath"/>. Default: none.
    /// </summary>
    public string? CheckpointSigner { get; set; }

    /// <summary>
    /// PEM public key of the checkpoint signer: what an external signer's signatures are checked with before a
    /// checkpoint is written, and what <c>VerifyLog</c> and <c>audit verify</c> check checkpoints with when the caller
    /// gives none. Default: none (the public half of <see cref="CheckpointKeyPath"/> when that is set).
    /// </summary>
    public string? CheckpointPublicKeyPath { get; set; }

    /// <summary>
    /// How long a decision's record may take to commit (queue included) before the call is answered UNAVAILABLE and
    /// health turns NOT_SERVING, in seconds; 1–300, default 5. A store write running longer (a frozen file system) makes
    /// new calls fail at once until it returns.
    /// </summary>
    public int CommitStallSeconds { get; set; } = 5;

    /// <summary>Repeated failures to record are logged at most once per this many seconds, with a count; 1–3600, default 10.</summary>
    public int FailureLogIntervalSeconds { get; set; } = 10;

    /// <summary>
    /// While the service runs, how often it verifies the records appended since the last verified point (read back from
    /// the store) and records the head as the new verified point, in minutes; 0–1440, default 10. A start verifies, before
    /// it answers, only the records after the last verified point: this bounds that work to about this much of the
    /// service's volume, however long it ran, and finds a record changed in the store while it runs. 0 turns it off (a
    /// restart then verifies everything since it last started).
    /// </summary>
    public int VerifyEveryMinutes { get; set; } = 10;
}
