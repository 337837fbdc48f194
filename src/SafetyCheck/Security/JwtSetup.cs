using System.Security.Claims;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.IdentityModel.Tokens;
using SafetyCheck.Logging;
using SafetyCheck.Core.Validation;

namespace SafetyCheck.Security;

/// <summary>Configures the JWT bearer scheme from <see cref="JwtOptions"/>.</summary>
internal static class JwtSetup
{
    /// <summary>
    /// Configures <paramref name="bearer"/>; a refused token is reported to <paramref name="refusals"/> with the reason
    /// and no stack trace (logged at most once per interval; the host keeps the JWT handler's own log, which adds a
    /// stack trace, to warnings and above).
    /// </summary>
    public static void Configure(JwtBearerOptions bearer, JwtOptions jwt, TimeProvider clock, CredentialRefusals refusals)
    {
        ArgumentNullException.ThrowIfNull(bearer);
        ArgumentNullException.ThrowIfNull(jwt);
        ArgumentNullException.ThrowIfNull(clock);
        ArgumentNullException.ThrowIfNull(refusals);

        // Claims keep the names they have in the token (sub, roles), not Microsoft's URIs.
        bearer.MapInboundClaims = false;
        bearer.TimeProvider = clock;
        if (!string.IsNullOrWhiteSpace(jwt.Authority))
        {
            bearer.Authority = jwt.Authority;
        }

        var skew = TimeSpan.FromSeconds(jwt.ClockSkewSeconds);
        bearer.TokenValidationParameters = new TokenValidationParameters
        {
            ValidIssuer = jwt.Issuer,
            ValidateIssuer = true,
            ValidAudience = jwt.Audience,
            ValidateAudience = true,
            RequireSignedTokens = true,
            ValidateIssuerSigningKey = true,
            IssuerSigningKeys = JwtSigningKeys.Load(jwt).Keys,
            RequireExpirationTime = true,
            ValidateLifetime = true,
            ClockSkew = skew,

            // Lifetimes are judged by the service clock (TimeProvider), like every other time here.
            LifetimeValidator = (notBefore, expires, _, _) => IsWithinLifetime(notBefore, expires, clock.GetUtcNow(), skew),
            NameClaimType = jwt.NameClaim,
            RoleClaimType = SecurityClaims.Role,
        };
        bearer.Events = new JwtBearerEvents
        {
            OnTokenValidated = context => CompleteIdentity(context, jwt.NameClaim, refusals),
            OnAuthenticationFailed = context =>
            {
                var reason = LogText.Printable($"{context.Exception.GetType().Name}: {context.Exception.Message}");
                refusals.TokenRefused(reason);
                return Task.CompletedTask;
            },
        };
    }

    /// <summary>A token without an expiry is refused; <c>nbf</c> and <c>exp</c> are given <paramref name="skew"/> either way.</summary>
    public static bool IsWithinLifetime(DateTime? notBefore, DateTime? expires, DateTimeOffset now, TimeSpan skew) =>
        expires is { } exp
        && now.UtcDateTime < exp.ToUniversalTime() + skew
        && (notBefore is not { } nbf || now.UtcDateTime >= nbf.ToUniversalTime() - skew);

    /// <summary>Refuses a token that names no caller or names it with control characters, and reads <c>role</c> claims as <c>roles</c>.</summary>
    private static Task CompleteIdentity(TokenValidatedContext context, string nameClaim, CredentialRefusals refusals)
    {
        if (context.Principal?.Identity is not ClaimsIdentity identity || string.IsNullOrWhiteSpace(identity.Name))
        {
            var reason = $"The token has no '{nameClaim}' claim naming the caller.";
            refusals.TokenRefused(LogText.Printable(reason));
            context.Fail(reason);
            return Task.CompletedTask;
        }

        if (ControlCharacters.In(identity.Name))
        {
            // The name is recorded with every decision and filtered on by auditors: it must be printable text.
            var reason = $"The token's '{nameClaim}' claim {ControlCharacters.Refusal}.";
            refusals.TokenRefused(reason);
            context.Fail(reason);
            return Task.CompletedTask;
        }

        var roles = identity.FindAll(SecurityClaims.Role).Select(c => c.Value).ToHashSet(StringComparer.Ordinal);
        foreach (var singular in identity.FindAll(SecurityClaims.SingularRole).ToArray())
        {
            if (roles.Add(singular.Value))
            {
                identity.AddClaim(new Claim(SecurityClaims.Role, singular.Value, singular.ValueType, singular.Issuer));
            }
        }

        return Task.CompletedTask;
    }
}
