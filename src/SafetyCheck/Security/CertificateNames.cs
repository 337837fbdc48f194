using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace SafetyCheck.Security;

/// <summary>How thumbprints and subjects in configuration are compared with a certificate's.</summary>
internal static class CertificateNames
{
    /// <summary>Uppercase hex without separators, or null when it is not a SHA-1 or SHA-256 thumbprint.</summary>
    public static string? NormalizeThumbprint(string? thumbprint)
    {
        if (string.IsNullOrWhiteSpace(thumbprint))
        {
            return null;
        }

        var hex = new string(thumbprint.Where(c => c is not (':' or ' ')).ToArray()).ToUpperInvariant();
        return hex.Length is 40 or 64 && hex.All(char.IsAsciiHexDigit) ? hex : null;
    }

    /// <summary>
    /// The distinguished name decoded into one spelling (so <c>CN=a,O=b</c> and <c>CN=a, O=b</c> compare equal; the
    /// order of its parts still matters), or null when it does not parse.
    /// </summary>
    public static string? NormalizeSubject(string? subject)
    {
        if (string.IsNullOrWhiteSpace(subject))
        {
            return null;
        }

        try
        {
            var name = Canonical(new X500DistinguishedName(subject));
            return string.IsNullOrEmpty(name) ? null : name;
        }
        catch (CryptographicException)
        {
            return null;
        }
    }

    /// <summary>A certificate's subject in the spelling of <see cref="NormalizeSubject"/>.</summary>
    public static string Subject(X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        return Canonical(certificate.SubjectName);
    }

    /// <summary>True when <paramref name="normalizedThumbprint"/> is the certificate's SHA-1 or SHA-256 thumbprint.</summary>
    public static bool HasThumbprint(X509Certificate2 certificate, string normalizedThumbprint)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        ArgumentNullException.ThrowIfNull(normalizedThumbprint);
        var actual = normalizedThumbprint.Length == 40
            ? certificate.GetCertHashString(HashAlgorithmName.SHA1)
            : certificate.GetCertHashString(HashAlgorithmName.SHA256);
        return string.Equals(actual, normalizedThumbprint, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>The caller name of a certificate: its common name, else its whole subject.</summary>
    public static string CallerName(X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        var commonName = certificate.GetNameInfo(X509NameType.SimpleName, forIssuer: false);
        return string.IsNullOrWhiteSpace(commonName) ? certificate.Subject : commonName;
    }

    /// <summary>Issued by itself: its subject and issuer are the same name.</summary>
    public static bool IsSelfIssued(X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        return certificate.SubjectName.RawData.AsSpan().SequenceEqual(certificate.IssuerName.RawData);
    }

    private static string Canonical(X500DistinguishedName name) => name.Decode(X500DistinguishedNameFlags.None);
}
