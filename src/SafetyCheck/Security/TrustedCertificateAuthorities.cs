using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace SafetyCheck.Security;

/// <summary>Reads <see cref="ClientCertificateOptions.TrustedCaFile"/>: the CA certificates, in PEM, that client certificates must chain to.</summary>
internal static class TrustedCertificateAuthorities
{
    /// <summary>The certificates, or a problem (unreadable, not PEM, no certificate in it).</summary>
    public static (X509Certificate2Collection Certificates, string? Problem) Load(string file)
    {
        ArgumentNullException.ThrowIfNull(file);
        var certificates = new X509Certificate2Collection();
        try
        {
            certificates.ImportFromPemFile(Path.GetFullPath(file, Environment.CurrentDirectory));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or CryptographicException or ArgumentException)
        {
            return (certificates, $"cannot be read as PEM certificates: {ex.Message}");
        }

        return certificates.Count == 0 ? (certificates, "holds no certificate.") : (certificates, null);
    }
}
