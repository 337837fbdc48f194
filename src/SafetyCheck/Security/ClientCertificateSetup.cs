using System.Security.Claims;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Authentication.Certificate;
using Microsoft.AspNetCore.Server.Kestrel.Https;

namespace SafetyCheck.Security;

/// <summary>
/// Configures the certificate scheme from <see cref="ClientCertificateOptions"/>: ASP.NET validates the certificate
/// (signature, validity period, client-authentication use, and for chained certificates the chain to
/// <see cref="ClientCertificateOptions.TrustedCaFile"/> or the system roots, with revocation); the mappings then decide
/// whether it is a credential at all.
/// </summary>
internal static class ClientCertificateSetup
{
    /// <summary>
    /// TLS endpoints ask for a client certificate when certificates are credentials; the certificate scheme, not the
    /// TLS layer, decides whether one is acceptable (so a refused certificate is UNAUTHENTICATED, not a reset).
    /// </summary>
    public static void Configure(HttpsConnectionAdapterOptions https, ClientCertificateOptions certificates)
    {
        ArgumentNullException.ThrowIfNull(https);
        ArgumentNullException.ThrowIfNull(certificates);
        if (certificates.Enabled)
        {
            https.ClientCertificateMode = certificates.Require ? ClientCertificateMode.RequireCertificate : ClientCertificateMode.AllowCertificate;
            https.AllowAnyClientCertificate();
        }
    }

    public static void Configure(CertificateAuthenticationOptions scheme, ClientCertificateOptions certificates)
    {
        ArgumentNullException.ThrowIfNull(scheme);
        ArgumentNullException.ThrowIfNull(certificates);

        // Self-signed certificates pass ASP.NET's checks only as themselves; Resolve accepts them by thumbprint alone.
        scheme.AllowedCertificateTypes = CertificateTypes.All;
        scheme.ValidateCertificateUse = true;
        scheme.ValidateValidityPeriod = true;
        scheme.RevocationMode = certificates.RevocationMode;
        if (!string.IsNullOrWhiteSpace(certificates.TrustedCaFile))
        {
            scheme.ChainTrustValidationMode = X509ChainTrustMode.CustomRootTrust;
            scheme.CustomTrustStore = TrustedCertificateAuthorities.Load(certificates.TrustedCaFile).Certificates;
        }

        var mappings = certificates.Mappings
            .Select(m => (Thumbprint: CertificateNames.NormalizeThumbprint(m.Thumbprint), Subject: CertificateNames.NormalizeSubject(m.Subject), m.Roles))
            .ToArray();
        var subjectsTrusted = !string.IsNullOrWhiteSpace(certificates.TrustedCaFile);
        scheme.Events = new CertificateAuthenticationEvents
        {
            OnCertificateValidated = context =>
            {
                var certificate = context.ClientCertificate;
                var selfIssued = CertificateNames.IsSelfIssued(certificate);
                var matched = mappings
                    .Where(m => (m.Thumbprint is { } t && CertificateNames.HasThumbprint(certificate, t))
                        || (m.Subject is { } s && subjectsTrusted && !selfIssued && string.Equals(s, CertificateNames.Subject(certificate), StringComparison.Ordinal)))
                    .ToArray();
                if (matched.Length == 0)
                {
                    context.Fail("The client certificate is not mapped to a caller.");
                    return Task.CompletedTask;
                }

                var identity = new ClaimsIdentity(SecuritySchemes.Certificate, ClaimTypes.Name, SecurityClaims.Role);
                identity.AddClaim(new Claim(ClaimTypes.Name, CertificateNames.CallerName(certificate)));
                identity.AddClaim(new Claim(ClaimTypes.Thumbprint, certificate.GetCertHashString(System.Security.Cryptography.HashAlgorithmName.SHA256)));
                identity.AddClaims(matched.SelectMany(m => m.Roles).Distinct(StringComparer.Ordinal).Select(r => new Claim(SecurityClaims.Role, r)));
                context.Principal = new ClaimsPrincipal(identity);
                context.Success();
                return Task.CompletedTask;
            },

            // A missing or refused certificate is a missing credential: 401 (UNAUTHENTICATED), not ASP.NET's 403.
            OnChallenge = context =>
            {
                context.HandleResponse();
                context.Response.StatusCode = StatusCodes.Status401Unauthorized;
                return Task.CompletedTask;
            },
        };
    }
}
