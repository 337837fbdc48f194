namespace SafetyCheck.Security;

/// <summary>
/// Who may call the service, from the <c>SafetyCheck:Authentication</c> configuration section. Any mix of API keys,
/// JWT bearer tokens and client certificates; with none of them configured, <c>serve</c> on loopback makes a
/// development key and anywhere else refuses to start.
/// </summary>
internal sealed class CredentialsOptions
{
    public const string Section = "SafetyCheck:Authentication";

    /// <summary>API keys, sent as <c>authorization: Bearer KEY</c>; configuration holds only their SHA-256.</summary>
    public List<ApiKeyOptions> ApiKeys { get; } = [];

    /// <summary>JWT bearer tokens from an identity provider.</summary>
    public JwtOptions Jwt { get; set; } = new();

    /// <summary>Client certificates presented in the TLS handshake.</summary>
    public ClientCertificateOptions ClientCertificates { get; set; } = new();

    /// <summary>True when at least one kind of credential is configured.</summary>
    public bool AnyConfigured => ApiKeys.Count > 0 || Jwt.IsConfigured || ClientCertificates.Enabled;
}
