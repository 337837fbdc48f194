namespace SafetyCheck.AuditPage;

/// <summary>The authentication schemes, the authorization policy and the paths of the auditor's page.</summary>
internal static class AuditPageSchemes
{
    /// <summary>The session cookie: HttpOnly, SameSite=Strict, Secure on TLS, path <c>/audit</c>.</summary>
    public const string Cookie = "AuditPageCookie";

    /// <summary>Sign-in through the OpenID Connect issuer (authorization code with PKCE), when configured.</summary>
    public const string OpenIdConnect = "AuditPageOpenIdConnect";

    /// <summary>Signed in with the session cookie, holding the auditor role.</summary>
    public const string Policy = "AuditPageAuditor";

    /// <summary>Every path of the page is under this.</summary>
    public const string Root = "/audit";

    public const string SignInPath = "/audit/signin";

    /// <summary>Where the issuer sends the browser back with its code.</summary>
    public const string OpenIdConnectCallbackPath = "/audit/signin/oidc/callback";

    public const string CookieName = "safetycheck-audit";

    public const string AntiforgeryCookieName = "safetycheck-audit-antiforgery";

    /// <summary>The claim that says how the auditor signed in: <c>api-key</c> or <c>openid-connect</c>.</summary>
    public const string MethodClaim = "safetycheck-sign-in";
}
