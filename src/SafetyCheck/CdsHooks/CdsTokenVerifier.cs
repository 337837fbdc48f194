using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using SafetyCheck.Security;

namespace SafetyCheck.CdsHooks;

/// <summary>
/// Checks the JWT a CDS client sends with every call, as CDS Hooks 2.0 requires ("Trusting CDS Clients"): signed with
/// an asymmetric algorithm (RS, PS or ES with SHA-256/384/512: never <c>none</c>, never HMAC), <c>typ</c> JWT and a
/// <c>kid</c>, and no <c>jwk</c>, <c>x5u</c> or <c>crit</c> header; <c>iss</c> an allow-listed issuer, <c>alg</c> one
/// it signs with (<see cref="CdsIssuerOptions.Algorithms"/>), whose <c>jku</c> (when the token names one) is that
/// issuer's JWKS URL; the signature verified with that issuer's key named by <c>kid</c>, when the key fits the
/// <c>alg</c> (<see cref="IssuerKeys.Fits"/>); <c>aud</c> the URL of the endpoint called; <c>exp</c> and
/// <c>iat</c> present, the token unexpired, issued not in the future and valid no longer than
/// <see cref="CdsHooksOptions.MaxTokenLifetimeSeconds"/>; <c>jti</c> present, at most <see cref="MaxJtiLength"/> characters, and not seen before. Thread-safe.
/// </summary>
internal sealed class CdsTokenVerifier(IOptions<CdsHooksOptions> options, IssuerKeys keys, TokenReplayCache replays, TimeProvider clock)
{
    /// <summary>The signing algorithms accepted: asymmetric only.</summary>
    public static readonly IReadOnlyList<string> Algorithms =
    [
        SecurityAlgorithms.RsaSha256, SecurityAlgorithms.RsaSha384, SecurityAlgorithms.RsaSha512,
        SecurityAlgorithms.RsaSsaPssSha256, SecurityAlgorithms.RsaSsaPssSha384, SecurityAlgorithms.RsaSsaPssSha512,
        SecurityAlgorithms.EcdsaSha256, SecurityAlgorithms.EcdsaSha384, SecurityAlgorithms.EcdsaSha512,
    ];

    /// <summary>The longest <c>jti</c> accepted, in characters (a UUID has 36).</summary>
    public const int MaxJtiLength = 256;

    private static readonly string[] KeyOfferingHeaders = [JwtHeaderParameterNames.Jwk, JwtHeaderParameterNames.X5u, "crit"];

    private static readonly JsonWebTokenHandler Handler = new() { MapInboundClaims = false };

    private static readonly long UnixSecondsMin = DateTimeOffset.MinValue.ToUnixTimeSeconds();

    private static readonly long UnixSecondsMax = DateTimeOffset.MaxValue.ToUnixTimeSeconds();

    /// <summary>Checks the bearer token of <paramref name="request"/> for a call to <paramref name="audiences"/> (any one of them).</summary>
    public async Task<TokenCheck> VerifyAsync(HttpRequest request, IReadOnlyList<string> audiences, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(audiences);
        if (!BearerToken.TryRead(request, out var token))
        {
            return TokenCheck.Refused("The call has no 'Authorization: Bearer' JWT: CDS Hooks requires the client's signed token on every call.");
        }

        JsonWebToken jwt;
        try
        {
            jwt = Handler.ReadJsonWebToken(token);
        }
        catch (ArgumentException)
        {
            return TokenCheck.Refused(UnreadableTimeClaim(token) is { } claim
                ? claim == JwtRegisteredClaimNames.Jti
                    ? "The token's jti is not a string: each token needs a unique id, so that it cannot be replayed."
                    : $"The token's {claim} is not a time: NumericDate seconds since 1970 are required."
                : "The bearer token is not a JWT (compact JWS).");
        }

        if (!Algorithms.Contains(jwt.Alg, StringComparer.Ordinal))
        {
            return TokenCheck.Refused($"The token's alg '{Printable(jwt.Alg)}' is not accepted: only asymmetric signatures ({string.Join(", ", Algorithms)}), never 'none' or HMAC.");
        }

        if (!string.Equals(jwt.Typ, "JWT", StringComparison.OrdinalIgnoreCase))
        {
            return TokenCheck.Refused("The token's header must have typ 'JWT'.");
        }

        if (string.IsNullOrEmpty(jwt.Kid))
        {
            return TokenCheck.Refused("The token's header must have a kid naming the key in the client's JWK Set.");
        }

        // Keys come from the issuer's configuration only: a header that offers a key (jwk) or a place to fetch one
        // (x5u) is refused rather than ignored, and so is one naming extensions the token says must be understood (crit).
        var headerMembers = HeaderMembers(jwt);
        foreach (var header in KeyOfferingHeaders)
        {
            if (Has(headerMembers, header))
            {
                return TokenCheck.Refused($"The token's header has '{header}': this service takes keys only from the issuer's configured JWK Set, and understands no crit extensions.");
            }
        }

        var settings = options.Value;
        var issuer = settings.Issuers.FirstOrDefault(i => string.Equals(i.Issuer, jwt.Issuer, StringComparison.Ordinal));
        if (issuer is null)
        {
            return TokenCheck.Refused(string.IsNullOrEmpty(jwt.Issuer)
                ? "The token has no iss."
                : $"The issuer '{Printable(jwt.Issuer)}' is not allowed to call this service (SafetyCheck:CdsHooks:Issuers).");
        }

        if (issuer.Algorithms.Count > 0 && !issuer.Algorithms.Contains(jwt.Alg, StringComparer.Ordinal))
        {
            return TokenCheck.Refused($"The token's alg '{Printable(jwt.Alg)}' is not one this issuer signs with ({string.Join(", ", issuer.Algorithms)}).");
        }

        // A jku that is not a string (a number, an object) is refused too: it is never read as "no jku".
        if (Has(headerMembers, JwtHeaderParameterNames.Jku)
            && !(jwt.TryGetHeaderValue<string>(JwtHeaderParameterNames.Jku, out var jku) && string.Equals(jku, issuer.JwksUrl, StringComparison.Ordinal)))
        {
            return TokenCheck.Refused($"The token's jku is not the JWKS URL allowed for its issuer ({(issuer.JwksUrl is null ? "its keys are configured inline" : issuer.JwksUrl)}).");
        }

        var lookup = await keys.FindAsync(issuer, jwt.Kid, cancellationToken).ConfigureAwait(false);
        if (lookup.Stale)
        {
            return TokenCheck.Refused($"The issuer's keys could not be refreshed: its JWKS has not been fetched successfully for more than {settings.JwksMaxStaleMinutes} minutes (JwksMaxStaleMinutes), so the keys held are no longer trusted.");
        }

        if (lookup.NeverFetched)
        {
            return TokenCheck.Refused("The issuer's keys could not be fetched from its JWKS URL: no fetch has worked since the service started (it is tried again at most every 30 s).");
        }

        var kidKeys = lookup.Keys;
        if (kidKeys.Count == 0)
        {
            return TokenCheck.Refused($"The issuer has no usable public key with kid '{Printable(jwt.Kid)}'.");
        }

        // The key decides the algorithm: an RS256 header on an EC key, or ES256 on a P-384 key, is refused before any signature is checked.
        var signingKeys = kidKeys.Where(k => IssuerKeys.Fits(k, jwt.Alg)).ToList();
        if (signingKeys.Count == 0)
        {
            return TokenCheck.Refused($"The issuer's key with kid '{Printable(jwt.Kid)}' is not one for alg '{Printable(jwt.Alg)}' (its kty, crv, size, alg or key_ops do not fit).");
        }

        var skew = TimeSpan.FromSeconds(settings.ClockSkewSeconds);
        var now = clock.GetUtcNow();
        var parameters = new TokenValidationParameters
        {
            ValidIssuer = issuer.Issuer,
            ValidateIssuer = true,
            ValidAudiences = audiences,
            ValidateAudience = true,

            // The library accepts "…/cds-services/" for "…/cds-services" by default: aud must be the exact URL called.
            IgnoreTrailingSlashWhenValidatingAudience = false,
            IssuerSigningKeys = signingKeys,
            ValidateIssuerSigningKey = true,
            ValidAlgorithms = issuer.Algorithms.Count > 0 ? issuer.Algorithms : Algorithms,
            RequireSignedTokens = true,
            RequireExpirationTime = true,
            ValidateLifetime = true,
            ClockSkew = skew,
            LifetimeValidator = (notBefore, expires, _, _) => IsWithinLifetime(notBefore, expires, now, skew),
            TryAllIssuerSigningKeys = false,
        };
        TokenValidationResult result;
        DateTimeOffset expires;
        try
        {
            result = await Handler.ValidateTokenAsync(jwt, parameters).ConfigureAwait(false);
            expires = new DateTimeOffset(jwt.ValidTo, TimeSpan.Zero);
        }
        catch (Exception ex) when (ex is ArgumentException or FormatException or OverflowException or InvalidOperationException)
        {
            // A claim the library cannot read as a time (exp or nbf out of range, not a number): the caller's token, never a 500.
            return TokenCheck.Refused("The token's exp or nbf is not a time: NumericDate seconds since 1970 are required.");
        }

        if (!result.IsValid)
        {
            return TokenCheck.Refused(Reason(result.Exception, audiences));
        }

        if (!jwt.TryGetPayloadValue<long>(JwtRegisteredClaimNames.Iat, out var iatSeconds))
        {
            return TokenCheck.Refused("The token has no iat.");
        }

        // FromUnixTimeSeconds throws outside years 0001–9999: a token that says so is the caller's, refused as 401.
        if (iatSeconds < UnixSecondsMin || iatSeconds > UnixSecondsMax)
        {
            return TokenCheck.Refused("The token's iat is not a time: NumericDate seconds since 1970 are required.");
        }

        var issuedAt = DateTimeOffset.FromUnixTimeSeconds(iatSeconds);
        if (issuedAt > now + skew)
        {
            return TokenCheck.Refused("The token's iat is in the future.");
        }

        if (expires - issuedAt > TimeSpan.FromSeconds(settings.MaxTokenLifetimeSeconds))
        {
            return TokenCheck.Refused($"The token is valid for {(long)(expires - issuedAt).TotalSeconds} s (exp − iat): at most {settings.MaxTokenLifetimeSeconds} s is accepted.");
        }

        if (!jwt.TryGetPayloadValue<string>(JwtRegisteredClaimNames.Jti, out var jti) || string.IsNullOrEmpty(jti))
        {
            return TokenCheck.Refused("The token has no jti: each token needs a unique id, so that it cannot be replayed.");
        }

        // Ids are kept until their token expires: a bound on their length bounds the replay cache in bytes, not only in entries.
        if (jti.Length > MaxJtiLength)
        {
            return TokenCheck.Refused($"The token's jti is longer than {MaxJtiLength} characters.");
        }

        return replays.TryRemember(issuer.Issuer!, jti, expires + skew) switch
        {
            ReplayVerdict.First => TokenCheck.Verified(new CdsClient(issuer.Issuer!, issuer), jti),
            ReplayVerdict.Replayed => TokenCheck.Refused("The token's jti was used before: each call needs a new token."),
            _ => TokenCheck.Busy("Too many tokens are in use at once to guard against replay; retry shortly."),
        };
    }

    /// <summary>
    /// Forgets the id of a verified token whose call was refused by a limit before anything was done (HTTP 429), so that
    /// an EHR over its limit cannot fill the replay cache, which every issuer shares, with refused calls. The token may
    /// then carry its call once more: it is still accepted at most once for a call that is answered.
    /// </summary>
    public void Unused(TokenCheck check)
    {
        ArgumentNullException.ThrowIfNull(check);
        if (check.Client is { } client)
        {
            replays.Forget(client.Issuer, check.TokenId);
        }
    }

    /// <summary>A token without an expiry is refused; <c>nbf</c> and <c>exp</c> are given <paramref name="skew"/> either way.</summary>
    private static bool IsWithinLifetime(DateTime? notBefore, DateTime? expires, DateTimeOffset now, TimeSpan skew) =>
        JwtSetup.IsWithinLifetime(notBefore, expires, now, skew);

    private static string Reason(Exception? exception, IReadOnlyList<string> audiences) => exception switch
    {
        SecurityTokenInvalidLifetimeException or SecurityTokenExpiredException or SecurityTokenNoExpirationException => "The token has expired, or has no exp, or is not yet valid.",
        SecurityTokenInvalidAudienceException => $"The token's aud must be the URL of the endpoint called: {string.Join(" or ", audiences)}.",
        SecurityTokenInvalidIssuerException => "The token's iss is not allowed.",
        SecurityTokenInvalidAlgorithmException => "The token's alg is not accepted.",
        SecurityTokenSignatureKeyNotFoundException or SecurityTokenInvalidSignatureException => "The token's signature does not verify with its issuer's key.",
        _ => "The token is not valid.",
    };

    /// <summary>The names of the token's header members, whatever their values (null included), read once per token.</summary>
    /// <returns>Null when the header cannot be read as a JSON object, which then has every member (see <see cref="Has"/>).</returns>
    private static HashSet<string>? HeaderMembers(JsonWebToken jwt)
    {
        try
        {
            using var header = System.Text.Json.JsonDocument.Parse(Base64UrlEncoder.DecodeBytes(jwt.EncodedHeader));
            return header.RootElement.ValueKind == System.Text.Json.JsonValueKind.Object
                ? [.. header.RootElement.EnumerateObject().Select(p => p.Name)]
                : null;
        }
        catch (Exception ex) when (ex is FormatException or ArgumentException or System.Text.Json.JsonException)
        {
            return null;
        }
    }

    /// <summary>
    /// Whether the header has the member <paramref name="name"/>. A header that could not be read (the library read it
    /// already, so not reachable) is never "no such member".
    /// </summary>
    private static bool Has(HashSet<string>? headerMembers, string name) => headerMembers is null || headerMembers.Contains(name);

    /// <summary>A value from the token, shortened and without control characters, fit for an error message.</summary>
    private static string Printable(string? value)
    {
        var text = new string((value ?? "").Where(c => !char.IsControl(c)).Take(100).ToArray());
        return text;
    }

    /// <summary>
    /// The registered claim that makes an otherwise well-formed compact JWS unreadable to the token library: a time
    /// claim (<c>exp</c>, <c>nbf</c>, <c>iat</c>) that is not a number (<c>"iat": null</c>, a string), or a <c>jti</c>
    /// that is not a string: named so the refusal says what to fix. Null when the payload is not readable JSON or
    /// those claims are of their types.
    /// </summary>
    private static string? UnreadableTimeClaim(string token)
    {
        var parts = token.Split('.');
        if (parts.Length != 3)
        {
            return null;
        }

        try
        {
            using var payload = System.Text.Json.JsonDocument.Parse(Base64UrlEncoder.DecodeBytes(parts[1]));
            if (payload.RootElement.ValueKind != System.Text.Json.JsonValueKind.Object)
            {
                return null;
            }

            foreach (var claim in (string[])[JwtRegisteredClaimNames.Exp, JwtRegisteredClaimNames.Nbf, JwtRegisteredClaimNames.Iat])
            {
                if (payload.RootElement.TryGetProperty(claim, out var value) && value.ValueKind != System.Text.Json.JsonValueKind.Number)
                {
                    return claim;
                }
            }

            if (payload.RootElement.TryGetProperty(JwtRegisteredClaimNames.Jti, out var jti) && jti.ValueKind != System.Text.Json.JsonValueKind.String)
            {
                return JwtRegisteredClaimNames.Jti;
            }
        }
        catch (Exception ex) when (ex is FormatException or ArgumentException or System.Text.Json.JsonException)
        {
            return null;
        }

        return null;
    }
}
