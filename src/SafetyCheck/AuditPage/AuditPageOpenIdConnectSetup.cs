using System.Security.Claims;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;
using SafetyCheck.Logging;
using SafetyCheck.Security;

namespace SafetyCheck.AuditPage;

/// <summary>
/// Sign-in through the OpenID Connect issuer configured for JWT: the authorization-code flow with PKCE (S256), the
/// response in the query, the ID token checked against the issuer's published keys, <c>Jwt:Issuer</c> and the page's
/// client id, its lifetime against the service clock. A token without the auditor role signs nobody in. The session is
/// then the page's own cookie; no token is kept.
/// </summary>
internal static class AuditPageOpenIdConnectSetup
{
    public static void Configure(OpenIdConnectOptions oidc, AuditPageOpenIdConnectOptions client, JwtOptions jwt, TimeProvider clock, ILogger log)
    {
        ArgumentNullException.ThrowIfNull(oidc);
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(jwt);
        ArgumentNullException.ThrowIfNull(clock);
        ArgumentNullException.ThrowIfNull(log);
        oidc.TimeProvider = clock;
        oidc.SignInScheme = AuditPageSchemes.Cookie;
        oidc.Authority = jwt.Authority;
        oidc.RequireHttpsMetadata = true;
        oidc.ClientId = client.ClientId;
        oidc.ClientSecret = string.IsNullOrWhiteSpace(client.ClientSecret) ? null : client.ClientSecret;
        oidc.ResponseType = OpenIdConnectResponseType.Code;
        oidc.ResponseMode = OpenIdConnectResponseMode.Query;
        oidc.UsePkce = true;
        oidc.SaveTokens = false;
        oidc.GetClaimsFromUserInfoEndpoint = false;
        oidc.MapInboundClaims = false;
        oidc.CallbackPath = AuditPageSchemes.OpenIdConnectCallbackPath;
        oidc.Scope.Clear();
        foreach (var scope in client.Scopes.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Append("openid").Distinct(StringComparer.Ordinal))
        {
            oidc.Scope.Add(scope);
        }

        // The response comes back as a top-level GET, so Lax cookies carry the correlation and nonce; Secure on TLS.
        foreach (var cookie in new[] { oidc.CorrelationCookie, oidc.NonceCookie })
        {
            cookie.SameSite = SameSiteMode.Lax;
            cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            cookie.Path = AuditPageSchemes.Root;
        }

        var skew = TimeSpan.FromSeconds(jwt.ClockSkewSeconds);
        oidc.TokenValidationParameters = new TokenValidationParameters
        {
            ValidIssuer = jwt.Issuer,
            ValidateIssuer = true,
            ValidAudience = client.ClientId,
            ValidateAudience = true,
            RequireSignedTokens = true,
            RequireExpirationTime = true,
            ValidateLifetime = true,
            ClockSkew = skew,
            LifetimeValidator = (notBefore, expires, _, _) => JwtSetup.IsWithinLifetime(notBefore, expires, clock.GetUtcNow(), skew),
            NameClaimType = jwt.NameClaim,
            RoleClaimType = SecurityClaims.Role,
        };
        oidc.Events = new OpenIdConnectEvents
        {
            OnTokenValidated = context => SignIn(context, jwt.NameClaim, clock, log),
            OnRemoteFailure = context =>
            {
                AuditPageLog.OpenIdConnectFailed(log, LogText.Printable($"{context.Failure?.GetType().Name}: {context.Failure?.Message}"));
                context.Response.Redirect(AuditPageSchemes.SignInPath + "?problem=" + SignInProblem.IssuerFailed);
                context.HandleResponse();
                return Task.CompletedTask;
            },
        };
    }

    /// <summary>Replaces the issuer's identity with the page's: the name and the auditor role, nothing else; refuses anyone without the role.</summary>
    private static Task SignIn(TokenValidatedContext context, string nameClaim, TimeProvider clock, ILogger log)
    {
        var identity = context.Principal?.Identity as ClaimsIdentity;
        var name = identity?.FindFirst(nameClaim)?.Value;
        var roles = identity?.FindAll(c => c.Type is SecurityClaims.Role or SecurityClaims.SingularRole).Select(c => c.Value) ?? [];
        if (string.IsNullOrWhiteSpace(name) || !AuditorPrincipal.MaySignIn(roles))
        {
            AuditPageLog.SignInRefused(log, AuditorPrincipal.OpenIdConnectMethod, LogText.Printable(name ?? "(no name)"), "the ID token has no name or no auditor role");
            context.Response.Redirect(AuditPageSchemes.SignInPath + "?problem=" + SignInProblem.NotAuditor);
            context.HandleResponse();
            return Task.CompletedTask;
        }

        context.Principal = AuditorPrincipal.Create(name, AuditorPrincipal.OpenIdConnectMethod);
        AuditPageCookieSetup.MarkSignIn(context.Properties!, clock);
        AuditPageLog.SignedIn(log, LogText.Printable(name), AuditorPrincipal.OpenIdConnectMethod);
        return Task.CompletedTask;
    }
}
