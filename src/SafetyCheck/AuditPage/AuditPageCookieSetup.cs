using System.Globalization;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using SafetyCheck.Security;

namespace SafetyCheck.AuditPage;

/// <summary>
/// The session cookie: HttpOnly, SameSite=Strict, Secure when the page is served over TLS, path <c>/audit</c>, sliding
/// after <see cref="AuditPageOptions.IdleMinutes"/> without a request and ended <see cref="AuditPageOptions.SessionHours"/>
/// after sign-in whatever happens. Its content is protected by keys held in memory only, so every session ends when the
/// service restarts. Times come from the service clock.
/// </summary>
internal static class AuditPageCookieSetup
{
    private const string SignedInItem = "safetycheck-signed-in";

    public static void Configure(CookieAuthenticationOptions cookie, AuditPageOptions page, TimeProvider clock)
    {
        ArgumentNullException.ThrowIfNull(cookie);
        ArgumentNullException.ThrowIfNull(page);
        ArgumentNullException.ThrowIfNull(clock);
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
                // Sliding renews the cookie (and its issue time); the sign-in time it carries stays: a session ends
                // SessionHours after it began.
                var signedIn = SignedInAt(context.Properties);
                if (signedIn is null || clock.GetUtcNow() >= signedIn.Value + lifetime || !context.Principal!.IsInRole(SafetyCheckRoles.Auditor))
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

    /// <summary>Records the sign-in time in <paramref name="properties"/>.</summary>
    public static void MarkSignIn(AuthenticationProperties properties, TimeProvider clock)
    {
        ArgumentNullException.ThrowIfNull(properties);
        ArgumentNullException.ThrowIfNull(clock);
        properties.IsPersistent = true;
        properties.Items[SignedInItem] = clock.GetUtcNow().ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
    }

    private static DateTimeOffset? SignedInAt(AuthenticationProperties properties) =>
        properties.Items.TryGetValue(SignedInItem, out var text) && long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
            ? DateTimeOffset.FromUnixTimeSeconds(seconds)
            : null;

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
