namespace SafetyCheck.Security;

/// <summary>Checks <see cref="CredentialsOptions"/> at start and reports every problem at once, naming the configuration key.</summary>
internal sealed class CredentialsOptionsValidator : IValidateOptions<CredentialsOptions>
{
    private const string Section = CredentialsOptions.Section;

    public ValidateOptionsResult Validate(string? name, CredentialsOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        ValidateApiKeys(options.ApiKeys, failures);
        if (options.Jwt.IsConfigured)
        {
            ValidateJwt(options.Jwt, failures);
        }

        if (options.ClientCertificates.Enabled)
        {
            ValidateClientCertificates(options.ClientCertificates, failures);
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void ValidateApiKeys(List<ApiKeyOptions> keys, List<string> failures)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        var hashes = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < keys.Count; i++)
        {
            var path = $"{Section}:ApiKeys:{i}";
            var key = keys[i];
            if (string.IsNullOrWhiteSpace(key.Name))
            {
                failures.Add($"{path}:Name is required: it is the caller's name in the audit trail.");
            }
            else if (!names.Add(key.Name))
            {
                failures.Add($"{path}:Name '{key.Name}' is used by another API key.");
            }

            if (key.Sha256.Length != 64 || !key.Sha256.All(char.IsAsciiHexDigit))
            {
                failures.Add($"{path}:Sha256 must be the 64-character hex SHA-256 of the key (e.g. printf %s \"$KEY\" | sha256sum), not the key.");
            }
            else if (!hashes.Add(key.Sha256))
            {
                failures.Add($"{path}:Sha256 is the same key as another entry.");
            }

            ValidateRoles($"{path}:Roles", key.Roles, failures);
        }
    }

    private static void ValidateJwt(JwtOptions jwt, List<string> failures)
    {
        var path = $"{Section}:Jwt";
        if (string.IsNullOrWhiteSpace(jwt.Issuer))
        {
            failures.Add($"{path}:Issuer is required: tokens from any other issuer are refused.");
        }

        if (string.IsNullOrWhiteSpace(jwt.Audience))
        {
            failures.Add($"{path}:Audience is required: tokens meant for another service are refused.");
        }

        if (string.IsNullOrWhiteSpace(jwt.NameClaim))
        {
            failures.Add($"{path}:NameClaim must name a claim (default sub).");
        }

        if (jwt.ClockSkewSeconds is < 0 or > 600)
        {
            failures.Add($"{path}:ClockSkewSeconds must be between 0 and 600 (got {jwt.ClockSkewSeconds}).");
        }

        if (!string.IsNullOrWhiteSpace(jwt.Authority)
            && (!Uri.TryCreate(jwt.Authority, UriKind.Absolute, out var authority) || authority.Scheme != Uri.UriSchemeHttps))
        {
            failures.Add($"{path}:Authority must be an https URL.");
        }

        if (jwt.SigningKeys.Count == 0 && string.IsNullOrWhiteSpace(jwt.Authority))
        {
            failures.Add($"{path} needs SigningKeys or an Authority that publishes them.");
        }

        failures.AddRange(JwtSigningKeys.Load(jwt).Problems);
    }

    private static void ValidateClientCertificates(ClientCertificateOptions certificates, List<string> failures)
    {
        var path = $"{Section}:ClientCertificates";
        if (certificates.Mappings.Count == 0)
        {
            failures.Add($"{path}:Mappings must list at least one certificate thumbprint or subject with its roles.");
        }

        if (!string.IsNullOrWhiteSpace(certificates.TrustedCaFile) && TrustedCertificateAuthorities.Load(certificates.TrustedCaFile).Problem is { } problem)
        {
            failures.Add($"{path}:TrustedCaFile {problem}");
        }

        if (!Enum.IsDefined(certificates.RevocationMode))
        {
            failures.Add($"{path}:RevocationMode must be Online, Offline or NoCheck.");
        }

        for (var i = 0; i < certificates.Mappings.Count; i++)
        {
            var mapping = certificates.Mappings[i];
            var at = $"{path}:Mappings:{i}";
            var hasThumbprint = !string.IsNullOrWhiteSpace(mapping.Thumbprint);
            var hasSubject = !string.IsNullOrWhiteSpace(mapping.Subject);
            if (hasThumbprint == hasSubject)
            {
                failures.Add($"{at} must have exactly one of Thumbprint or Subject.");
            }
            else if (hasThumbprint && CertificateNames.NormalizeThumbprint(mapping.Thumbprint) is null)
            {
                failures.Add($"{at}:Thumbprint must be a SHA-1 (40 hex) or SHA-256 (64 hex) thumbprint.");
            }
            else if (hasSubject && CertificateNames.NormalizeSubject(mapping.Subject) is null)
            {
                failures.Add($"{at}:Subject is not a distinguished name (e.g. CN=scheduling-app, O=Example Clinic).");
            }
            else if (hasSubject && string.IsNullOrWhiteSpace(certificates.TrustedCaFile))
            {
                failures.Add($"{at}:Subject needs {path}:TrustedCaFile: anyone can make a certificate with any subject, so subjects count only under your own CA.");
            }

            ValidateRoles($"{at}:Roles", mapping.Roles, failures);
        }
    }

    private static void ValidateRoles(string path, List<string> roles, List<string> failures)
    {
        if (roles.Count == 0)
        {
            failures.Add($"{path} must list at least one of {string.Join(", ", SafetyCheckRoles.All)}.");
        }

        foreach (var role in roles.Where(r => !SafetyCheckRoles.IsKnown(r)))
        {
            failures.Add($"{path}: unknown role '{role}' (known: {string.Join(", ", SafetyCheckRoles.All)}).");
        }
    }
}
