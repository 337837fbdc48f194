using System.Globalization;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using SafetyCheck.Security;

namespace SafetyCheck.AuditPage;

/// <summary>
/// The session cookie: HttpOnly, SameSite=Strict, Secure when the page is served over TLS, path <c>/audit</c>, sliding
/// after <see cref="AuditPageOptions.IdleMinutes"/> without a request and ended <see cref="AuditPageOptions.SessionHours"/>
/// after sign-in whatever happens, and at once when it signs out (<see cref="AuditPageSessions"/>). Its content is protected by keys held in memory only, so every session ends when the
/// service restarts. Times come from the service clock.
/// </summary>
internal static class AuditPageCookieSetup
{
    private const string SignedInItem = "safetycheck-signed-in";

    private const string SessionItem = "safetycheck-session";

    public static void Configure(CookieAuthenticationOptions cookie, AuditPageOptions page, TimeProvider clock, AuditPageSessions sessions)
    {
        ArgumentNullException.ThrowIfNull(cookie);
        ArgumentNullException.ThrowIfNull(page);
        ArgumentNullException.ThrowIfNull(clock);
        ArgumentNullException.ThrowIfNull(sessions);
        cookie.TimeProvider = clock;
        cookie.Cookie.Name = AuditPageSchemes.CookieName;
        cookie.Cookie.Path = AuditPageSchemes.Root;
        cookie.Cookie.HttpOnly = true;
        cookie.Cookie.SameSite = SameSiteMode.Strict;
        cookie.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
        cookie.ExpireTimeSpan = TimeSpan.FromMinutes(page.IdleMinutes);
        cookie.SlidingExpiration = true;
        cookie.LoginPath = AuditPageSchemes.SignInPath;
        cookie.AccessDeniedPath = AuditPageSchemes.SignInPath;
        cookie.ReturnUrlParameter = "returnUrl";
        var lifetime = TimeSpan.FromHours(page.SessionHours);
        cookie.Events = new CookieAuthenticationEvents
        {
            OnValidatePrincipal = async context =>
            {
                // Sliding renews the cookie (and its issue time); the sign-in time and session id it carries stay: a
                // session ends SessionHours after it began, or when it signs out (a copy of the cookie included).
                var (session, signedIn) = SessionOf(context.Properties);
                if (session is null || signedIn is null || clock.GetUtcNow() >= signedIn.Value + lifetime || sessions.IsEnded(session, signedIn.Value)
                    || !context.Principal!.IsInRole(SafetyCheckRoles.Auditor))
                {
                    context.RejectPrincipal();
                    await context.HttpContext.SignOutAsync(AuditPageSchemes.Cookie).ConfigureAwait(false);
                }
            },
            OnRedirectToLogin = context => Challenge(context),
            OnRedirectToAccessDenied = context => Challenge(context),
        };
    }

    /// <summary>Session properties for a sign-in now: persistent (the cookie expires with the session), carrying the sign-in time.</summary>
    public static AuthenticationProperties SignInProperties(TimeProvider clock)
    {
        ArgumentNullException.ThrowIfNull(clock);
        var properties = new AuthenticationProperties { IsPersistent = true };
        MarkSignIn(properties, clock);
        return properties;
    }

    /// <summary>Records the sign-in time and a new session id in <paramref name="properties"/>.</summary>
    public static void MarkSignIn(AuthenticationProperties properties, TimeProvider clock)
    {
        ArgumentNullException.ThrowIfNull(properties);
        ArgumentNullException.ThrowIfNull(clock);
        properties.IsPersistent = true;
        properties.Items[SignedInItem] = clock.GetUtcNow().ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        properties.Items[SessionItem] = AuditPageSessions.NewId();
    }

    /// <summary>The session id and sign-in time a session cookie carries; null for either when it has none.</summary>
    public static (string? Id, DateTimeOffset? SignedInAt) SessionOf(AuthenticationProperties properties)
    {
        ArgumentNullException.ThrowIfNull(properties);
        var id = properties.Items.TryGetValue(SessionItem, out var session) && !string.IsNullOrEmpty(session) ? session : null;
        DateTimeOffset? signedIn = properties.Items.TryGetValue(SignedInItem, out var text) && long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
            ? DateTimeOffset.FromUnixTimeSeconds(seconds)
            : null;
        return (id, signedIn);
    }

    /// <summary>Pages go to sign-in; what scripts fetch (the verification status) answers 401 instead of a sign-in page.</summary>
    private static Task Challenge(RedirectContext<CookieAuthenticationOptions> context)
    {
        if (context.Request.Headers.Accept.Any(a => a?.Contains("application/json", StringComparison.OrdinalIgnoreCase) == true))
        {
            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            return Task.CompletedTask;
        }

        context.Response.Redirect(context.RedirectUri);
        return Task.CompletedTask;
    }
}
