namespace SafetyCheck.Security;

/// <summary>Roles for one certificate (by thumbprint) or for every trusted certificate with one subject.</summary>
internal sealed class ClientCertificateMapping
{
    /// <summary>SHA-1 (40 hex) or SHA-256 (64 hex) thumbprint of the certificate, any case, colons or spaces allowed.</summary>
    public string? Thumbprint { get; set; }

    /// <summary>Distinguished name, e.g. <c>CN=scheduling-app, O=Example Clinic</c>; needs <see cref="ClientCertificateOptions.TrustedCaFile"/>.</summary>
    public string? Subject { get; set; }

    /// <summary>Roles from <see cref="SafetyCheckRoles"/>; at least one.</summary>
    public List<string> Roles { get; } = [];
}
