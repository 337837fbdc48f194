namespace SafetyCheck.Security;

/// <summary>
/// JWT bearer tokens. The issuer and audience are always checked, the lifetime against the service clock (with
/// <see cref="ClockSkewSeconds"/>), and the signature against <see cref="SigningKeys"/> or the keys the
/// <see cref="Authority"/> publishes. The caller's name is the <see cref="NameClaim"/> claim; roles come from
/// <c>roles</c> and <c>role</c> claims (a string or an array).
/// </summary>
internal sealed class JwtOptions
{
    /// <summary>The exact <c>iss</c> tokens must carry. Required when JWT is configured.</summary>
    public string? Issuer { get; set; }

    /// <summary>The <c>aud</c> tokens must carry (e.g. <c>safetycheck</c> or the service URL). Required when JWT is configured.</summary>
    public string? Audience { get; set; }

    /// <summary>Optional OpenID Connect issuer URL (https) whose discovery document publishes the signing keys.</summary>
    public string? Authority { get; set; }

    /// <summary>Signing keys given directly (public keys in PEM, or a shared secret); needed unless <see cref="Authority"/> is set.</summary>
    public List<JwtSigningKeyOptions> SigningKeys { get; } = [];

    /// <summary>The claim that names the caller. Default <c>sub</c>. A token without it is refused.</summary>
    public string NameClaim { get; set; } = "sub";

    /// <summary>Tolerance for clock differences when checking <c>exp</c> and <c>nbf</c>, in seconds. Default 60.</summary>
    public int ClockSkewSeconds { get; set; } = 60;

    /// <summary>True when any JWT setting is present.</summary>
    public bool IsConfigured => !string.IsNullOrWhiteSpace(Issuer) || !string.IsNullOrWhiteSpace(Audience)
        || !string.IsNullOrWhiteSpace(Authority) || SigningKeys.Count > 0;
}
