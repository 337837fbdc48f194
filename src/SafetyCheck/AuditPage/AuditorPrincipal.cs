using System.Security.Claims;
using SafetyCheck.Security;

namespace SafetyCheck.AuditPage;

/// <summary>The identity a page session carries: the auditor's name, the auditor role, and how they signed in. Nothing else.</summary>
internal static class AuditorPrincipal
{
    public const string ApiKeyMethod = "api-key";

    public const string OpenIdConnectMethod = "openid-connect";

    /// <summary>A principal for <paramref name="name"/>, signed in by <paramref name="method"/>.</summary>
    public static ClaimsPrincipal Create(string name, string method)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        var identity = new ClaimsIdentity(AuditPageSchemes.Cookie, ClaimTypes.Name, SecurityClaims.Role);
        identity.AddClaim(new Claim(ClaimTypes.Name, name));
        identity.AddClaim(new Claim(SecurityClaims.Role, SafetyCheckRoles.Auditor));
        identity.AddClaim(new Claim(AuditPageSchemes.MethodClaim, method));
        return new ClaimsPrincipal(identity);
    }

    /// <summary>True when <paramref name="roles"/> opens the page: it holds the auditor role (as for <c>safetycheck.v1.Audit</c>).</summary>
    public static bool MaySignIn(IEnumerable<string> roles) => roles.Contains(SafetyCheckRoles.Auditor, StringComparer.Ordinal);

    /// <summary>The signed-in auditor's name, or null for anyone else.</summary>
    public static string? NameOf(ClaimsPrincipal user)
    {
        ArgumentNullException.ThrowIfNull(user);
        return user.Identity is { IsAuthenticated: true, AuthenticationType: AuditPageSchemes.Cookie } && user.IsInRole(SafetyCheckRoles.Auditor)
            ? user.Identity.Name
            : null;
    }
}
