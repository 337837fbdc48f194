namespace SafetyCheck.AuditPage;

/// <summary>
/// The auditor's page, from the <c>SafetyCheck:AuditPage</c> configuration section (environment:
/// <c>SafetyCheck__AuditPage__…</c>). Off unless <see cref="Urls"/> names at least one address: the page has listeners
/// of its own (HTTP/1.1 and HTTP/2), because the gRPC listeners speak cleartext HTTP/2 only, which browsers do not.
/// </summary>
internal sealed class AuditPageOptions
{
    public const string Section = "SafetyCheck:AuditPage";

    /// <summary>
    /// Where the page listens, <c>;</c>-separated, each <c>http://HOST:PORT</c> or <c>https://HOST:PORT</c> with an explicit
    /// port (e.g. <c>http://127.0.0.1:5082</c>). Cleartext only on loopback (behind a TLS proxy on the same machine);
    /// anywhere else <c>https</c>, with the certificate of <c>Kestrel:Certificates:Default</c>. Default: none, the page is off.
    /// </summary>
    public string? Urls { get; set; }

    /// <summary>A session ends after this many minutes without a page request (the cookie slides). Default 30; 1–1440.</summary>
    public int IdleMinutes { get; set; } = 30;

    /// <summary>A session ends this many hours after sign-in however active it is. Default 8; 1–24.</summary>
    public int SessionHours { get; set; } = 8;

    /// <summary>
    /// A directory of checkpoint files written by <c>audit checkpoint --output DIR/….txt</c>; the trail page verifies the
    /// chain against the newest checkpoint of each chain in it. Default: <c>checkpoints</c> beside the SQLite database
    /// (none for PostgreSQL). Relative paths are taken from the current directory.
    /// </summary>
    public string? CheckpointDirectory { get; set; }

    /// <summary>
    /// PEM public key the checkpoints are checked with. Default: the service's checkpoint public key
    /// (<c>SafetyCheck:Audit:CheckpointPublicKeyPath</c>, else the signing key <c>SafetyCheck:Audit:CheckpointKeyPath</c>) when it exists.
    /// </summary>
    public string? CheckpointPublicKeyFile { get; set; }

    /// <summary>Sign-in through the OpenID Connect issuer of <c>SafetyCheck:Authentication:Jwt</c>; off without a client id.</summary>
    public AuditPageOpenIdConnectOptions OpenIdConnect { get; set; } = new();
}
