using SafetyCheck.Core.Domain;
using SafetyCheck.Core.Facts;

namespace SafetyCheck.CdsHooks;

/// <summary>Checks <see cref="CdsHooksOptions"/> at start and reports every bad setting at once (nothing is checked while the service is off).</summary>
internal sealed class CdsHooksOptionsValidator : IValidateOptions<CdsHooksOptions>
{
    public ValidateOptionsResult Validate(string? name, CdsHooksOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        const string S = CdsHooksOptions.Section;
        var failures = new List<string>();
        foreach (var url in Limits.HealthListener.Split(options.Urls))
        {
            if (CdsHooksListener.Problem(url) is { } problem)
            {
                failures.Add($"{S}:Urls entry '{url}' {problem}.");
            }
        }

        if (!CdsHooksListener.Parse(options.Urls).IsEnabled)
        {
            return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
        }

        if (options.BaseUrl is { } baseUrl && !(Uri.TryCreate(baseUrl, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp) && string.IsNullOrEmpty(uri.Query)))
        {
            failures.Add($"{S}:BaseUrl must be the absolute http(s) URL EHRs call, e.g. https://safetycheck.example.org (got '{baseUrl}').");
        }

        if (options.Issuers.Count == 0)
        {
            failures.Add($"{S}:Issuers must name at least one EHR (Issuer, and JwksUrl or Jwks): every call needs a token from an allowed issuer.");
        }

        for (var i = 0; i < options.Issuers.Count; i++)
        {
            var issuer = options.Issuers[i];
            var at = $"{S}:Issuers:{i}";
            if (string.IsNullOrWhiteSpace(issuer.Issuer))
            {
                failures.Add($"{at}:Issuer is required.");
            }
            else if (options.Issuers.Take(i).Any(o => o.Issuer == issuer.Issuer))
            {
                failures.Add($"{at}:Issuer '{issuer.Issuer}' is listed twice.");
            }

            var given = new[] { issuer.JwksUrl, issuer.Jwks }.Count(v => !string.IsNullOrWhiteSpace(v));
            if (given != 1)
            {
                failures.Add($"{at} must have exactly one of JwksUrl or Jwks (has {given}).");
            }
            else if (!string.IsNullOrWhiteSpace(issuer.JwksUrl)
                && !(Uri.TryCreate(issuer.JwksUrl, UriKind.Absolute, out var jwks) && (jwks.Scheme == Uri.UriSchemeHttps || (jwks.Scheme == Uri.UriSchemeHttp && options.AllowInsecureHttp))))
            {
                failures.Add($"{at}:JwksUrl must be an absolute https URL.");
            }
            else if (!string.IsNullOrWhiteSpace(issuer.Jwks))
            {
                if (issuer.Jwks.Contains("\"d\"", StringComparison.Ordinal) || issuer.Jwks.Contains("\"k\"", StringComparison.Ordinal))
                {
                    failures.Add($"{at}:Jwks holds a private or symmetric key: give the service only the issuer's public keys.");
                }
                else if (IssuerKeys.Parse(issuer.Jwks) is { Count: 0 })
                {
                    failures.Add($"{at}:Jwks is not a JWK Set with an RSA or EC public key ({{\"keys\":[…]}}).");
                }
            }

            foreach (var algorithm in issuer.Algorithms)
            {
                if (!CdsTokenVerifier.Algorithms.Contains(algorithm, StringComparer.Ordinal))
                {
                    failures.Add($"{at}:Algorithms entry '{algorithm}' must be one of {string.Join(", ", CdsTokenVerifier.Algorithms)} (asymmetric signatures only).");
                }
            }

            foreach (var server in issuer.FhirServers)
            {
                if (!Uri.TryCreate(server, UriKind.Absolute, out var fhir) || !(fhir.Scheme == Uri.UriSchemeHttps || (fhir.Scheme == Uri.UriSchemeHttp && options.AllowInsecureHttp))
                    || !string.IsNullOrEmpty(fhir.Query) || !string.IsNullOrEmpty(fhir.Fragment) || !string.IsNullOrEmpty(fhir.UserInfo))
                {
                    failures.Add($"{at}:FhirServers entry '{server}' must be an absolute https URL (a FHIR base: no query, fragment or user info).");
                }
            }
        }

        foreach (var origin in options.AllowedOrigins)
        {
            if (origin == "*" || !Uri.TryCreate(origin, UriKind.Absolute, out var o) || o.AbsolutePath != "/" || !string.IsNullOrEmpty(o.Query) || o.Scheme is not ("https" or "http"))
            {
                failures.Add($"{S}:AllowedOrigins entry '{origin}' must be an origin such as https://ehr.example.org (no path, no wildcard).");
            }
        }

        foreach (var code in options.SessionCodes)
        {
            if (code.Split('|') is not [{ Length: > 0 }, { Length: > 0 }])
            {
                failures.Add($"{S}:SessionCodes entry '{code}' must be system|code.");
            }
        }

        if (options.DefaultSetting is { } setting && !EnumNames.TryParse<Setting>(setting, out _))
        {
            failures.Add($"{S}:DefaultSetting must be one of {string.Join(", ", EnumNames.All<Setting>())} (got '{setting}').");
        }

        if (!TimeZones.TryFind(options.TimeZone, out _))
        {
            failures.Add($"{S}:TimeZone must be an IANA time zone such as Europe/London (got '{options.TimeZone}').");
        }

        void Between(string key, int value, int minimum, int maximum)
        {
            if (value < minimum || value > maximum)
            {
                failures.Add($"{S}:{key} must be between {minimum} and {maximum} (got {value}).");
            }
        }

        Between(nameof(options.MaxTokenLifetimeSeconds), options.MaxTokenLifetimeSeconds, 10, 3600);
        Between(nameof(options.ClockSkewSeconds), options.ClockSkewSeconds, 0, 300);
        Between(nameof(options.ReplayCacheSize), options.ReplayCacheSize, 100, 10_000_000);
        Between(nameof(options.JwksCacheMinutes), options.JwksCacheMinutes, 1, 1440);
        Between(nameof(options.JwksMaxStaleMinutes), options.JwksMaxStaleMinutes, 1, 7 * 1440);
        Between(nameof(options.FhirTimeoutSeconds), options.FhirTimeoutSeconds, 1, 60);
        Between(nameof(options.FhirBudgetSeconds), options.FhirBudgetSeconds, 1, 60);
        Between(nameof(options.MaxFhirResponseBytes), options.MaxFhirResponseBytes, 1024, 256 * 1024 * 1024);
        Between(nameof(options.MaxFhirPages), options.MaxFhirPages, 1, 100);
        Between(nameof(options.MaxRequestBytes), options.MaxRequestBytes, 1024, 64 * 1024 * 1024);
        Between(nameof(options.MaxSessionsPerCall), options.MaxSessionsPerCall, 1, 50);
        Between(nameof(options.CallsPerSecondPerIssuer), options.CallsPerSecondPerIssuer, 0, 10_000);
        Between(nameof(options.CallBurstPerIssuer), options.CallBurstPerIssuer, 1, 100_000);
        Between(nameof(options.MaxConcurrentCallsPerIssuer), options.MaxConcurrentCallsPerIssuer, 0, 10_000);
        if (options.JwksMaxStaleMinutes >= 1 && options.JwksMaxStaleMinutes < options.JwksCacheMinutes)
        {
            failures.Add($"{S}:{nameof(options.JwksMaxStaleMinutes)} must be at least JwksCacheMinutes ({options.JwksCacheMinutes}; got {options.JwksMaxStaleMinutes}).");
        }

        if (options.CallsPerSecondPerIssuer > 0 && options.CallBurstPerIssuer >= 1 && options.CallBurstPerIssuer < options.CallsPerSecondPerIssuer)
        {
            failures.Add($"{S}:{nameof(options.CallBurstPerIssuer)} must be at least CallsPerSecondPerIssuer ({options.CallsPerSecondPerIssuer}; got {options.CallBurstPerIssuer}).");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
