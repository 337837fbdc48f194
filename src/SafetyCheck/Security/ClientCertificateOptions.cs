using System.Security.Cryptography.X509Certificates;

namespace SafetyCheck.Security;

/// <summary>
/// Client certificates (mutual TLS) on the HTTPS endpoints. A certificate is a credential only through
/// <see cref="Mappings"/>: by thumbprint (the certificate is pinned; self-signed ones are accepted this way) or by
/// subject (only for certificates that chain to <see cref="TrustedCaFile"/>, so nobody can mint one). The caller's
/// name is the certificate's common name (CN), else its whole subject.
/// </summary>
internal sealed class ClientCertificateOptions
{
    /// <summary>Ask HTTPS clients for a certificate and accept it as a credential. Default false.</summary>
    public bool Enabled { get; set; }

    /// <summary>Refuse TLS connections without a client certificate. Default false: bearer tokens remain usable.</summary>
    public bool Require { get; set; }

    /// <summary>PEM file of the CA certificates that issue client certificates; required for subject mappings.</summary>
    public string? TrustedCaFile { get; set; }

    /// <summary>Revocation checking for chained certificates (<c>Online</c>, <c>Offline</c>, <c>NoCheck</c>). Default Online.</summary>
    public X509RevocationMode RevocationMode { get; set; } = X509RevocationMode.Online;

    /// <summary>Which certificates are credentials, and their roles.</summary>
    public List<ClientCertificateMapping> Mappings { get; } = [];
}
