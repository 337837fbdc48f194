namespace SafetyCheck.AuditPage;

/// <summary>
/// The page as a client of the OpenID Connect issuer configured for JWT (<c>SafetyCheck:Authentication:Jwt:Authority</c>,
/// whose <c>iss</c> must be <c>Jwt:Issuer</c>): an authorization-code flow with PKCE. The issuer's ID token names the
/// auditor (<c>Jwt:NameClaim</c>, default <c>sub</c>) and must carry the <c>auditor</c> role in <c>roles</c> or <c>role</c>.
/// </summary>
internal sealed class AuditPageOpenIdConnectOptions
{
    /// <summary>The page's client id at the issuer (the ID token's audience). Empty: no OpenID Connect sign-in.</summary>
    public string? ClientId { get; set; }

    /// <summary>The client secret, when the issuer registered the page as a confidential client; PKCE is used either way.</summary>
    public string? ClientSecret { get; set; }

    /// <summary>Scopes to ask for, space-separated. Default <c>openid profile</c>.</summary>
    public string Scopes { get; set; } = "openid profile";

    /// <summary>True when a client id is configured.</summary>
    public bool IsConfigured => !string.IsNullOrWhiteSpace(ClientId);
}
