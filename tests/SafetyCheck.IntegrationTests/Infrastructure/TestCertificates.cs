using System.Net;
using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace SafetyCheck.IntegrationTests.Infrastructure;

/// <summary>Certificates made for a test with <see cref="CertificateRequest"/> (ECDSA P-256, valid a day either side of now), and files holding them.</summary>
public static class TestCertificates
{
    private static readonly Oid ServerAuthentication = new("1.3.6.1.5.5.7.3.1");
    private static readonly Oid ClientAuthentication = new("1.3.6.1.5.5.7.3.2");

    /// <summary>A self-signed server certificate for 127.0.0.1 and localhost.</summary>
    public static X509Certificate2 Server()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=safetycheck-test-server", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        names.AddDnsName("localhost");
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([ServerAuthentication], critical: false));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, critical: true));
        return request.CreateSelfSigned(NotBefore, NotAfter);
    }

    /// <summary>A certificate authority that can issue client certificates.</summary>
    public static X509Certificate2 Authority(string subject)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(certificateAuthority: true, hasPathLengthConstraint: true, pathLengthConstraint: 0, critical: true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, critical: true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, critical: false));
        return request.CreateSelfSigned(NotBefore, NotAfter);
    }

    /// <summary>A client certificate, self-signed or issued by <paramref name="issuer"/>.</summary>
    public static X509Certificate2 Client(string subject, X509Certificate2? issuer = null)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([ClientAuthentication], critical: false));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, critical: true));
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(certificateAuthority: false, hasPathLengthConstraint: false, pathLengthConstraint: 0, critical: false));
        if (issuer is null)
        {
            return request.CreateSelfSigned(NotBefore, NotAfter);
        }

        using var issued = request.Create(issuer, NotBefore, NotAfter.AddHours(-1), RandomNumberGenerator.GetBytes(16));
        return issued.CopyWithPrivateKey(key);
    }

    /// <summary>Writes the certificate and its private key as PEM files in a fresh directory.</summary>
    public static (string CertificateFile, string KeyFile) WritePem(X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        var directory = Path.Combine(Path.GetTempPath(), "safetycheck-tests", Path.GetRandomFileName());
        Directory.CreateDirectory(directory);
        var certificateFile = Path.Combine(directory, "certificate.pem");
        var keyFile = Path.Combine(directory, "key.pem");
        File.WriteAllText(certificateFile, certificate.ExportCertificatePem());
        if (certificate.GetECDsaPrivateKey() is { } key)
        {
            using (key)
            {
                File.WriteAllText(keyFile, key.ExportPkcs8PrivateKeyPem());
            }
        }

        return (certificateFile, keyFile);
    }

    /// <summary>A handler that trusts only <paramref name="server"/> and presents <paramref name="client"/>, if any.</summary>
    public static SocketsHttpHandler Handler(X509Certificate2 server, X509Certificate2? client = null)
    {
        ArgumentNullException.ThrowIfNull(server);
        var pinned = server.GetCertHashString(HashAlgorithmName.SHA256);
        return new SocketsHttpHandler
        {
            SslOptions = new SslClientAuthenticationOptions
            {
                RemoteCertificateValidationCallback = (_, presented, _, _) =>
                    presented is not null && presented.GetCertHashString(HashAlgorithmName.SHA256) == pinned,
                ClientCertificates = client is null ? null : [client],
            },
        };
    }

    private static DateTimeOffset NotBefore => TimeProvider.System.GetUtcNow().AddDays(-1);

    private static DateTimeOffset NotAfter => TimeProvider.System.GetUtcNow().AddDays(1);
}
