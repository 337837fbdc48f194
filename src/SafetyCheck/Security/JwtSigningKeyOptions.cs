namespace SafetyCheck.Security;

/// <summary>One token-signing key: exactly one of a PEM public key (inline or a file) or a shared secret.</summary>
internal sealed class JwtSigningKeyOptions
{
    /// <summary>Optional key id (<c>kid</c>) tokens name; without it, every key is tried.</summary>
    public string? KeyId { get; set; }

    /// <summary>An RSA or EC public key in PEM (<c>-----BEGIN PUBLIC KEY-----</c>), for RS*/PS*/ES* tokens.</summary>
    public string? PublicKeyPem { get; set; }

    /// <summary>A file holding such a PEM public key; relative paths resolve from the current directory.</summary>
    public string? PublicKeyFile { get; set; }

    /// <summary>A shared secret in base64, at least 32 bytes, for HS256/384/512 tokens. Prefer public keys.</summary>
    public string? SymmetricKeyBase64 { get; set; }
}
