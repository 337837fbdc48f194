using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http.HttpResults;
using SafetyCheck.Logging;
using SafetyCheck.Security;

namespace SafetyCheck.AuditPage;

/// <summary>
/// Sign-in and sign-out. An API key is hashed and compared with every configured hash as for gRPC calls
/// (<see cref="ApiKeyRegistry"/>); only a key holding the auditor role signs in (a clinical app's key is refused).
/// The identity provider is offered when configured (<see cref="AuditPageOpenIdConnectSetup"/>). Signing out ends the
/// session on the server as well as in the browser (<see cref="AuditPageSessions"/>).
/// </summary>
internal static class SignInEndpoints
{
    public static async Task<IResult> ShowAsync(HttpContext context, IOptions<AuditPageOptions> options, string? returnUrl, string? problem)
    {
        // Someone already signed in goes on to the pages.
        var current = await context.AuthenticateAsync(AuditPageSchemes.Cookie).ConfigureAwait(false);
        if (current.Succeeded && current.Principal is { } signedIn && AuditorPrincipal.NameOf(signedIn) is not null)
        {
            return Results.Redirect(AuditPageResults.SafeReturnUrl(returnUrl));
        }

        var message = SignInProblem.Describe(problem);
        return Page(context, options, message, message is not null && problem != SignInProblem.SignedOut, returnUrl, StatusCodes.Status200OK);
    }

    public static async Task<IResult> SignInAsync(HttpContext context, ApiKeyRegistry keys, SignInThrottle throttle, IOptions<AuditPageOptions> options, TimeProvider clock, ILoggerFactory loggers)
    {
        var log = loggers.CreateLogger(typeof(AuditPageLog).FullName!);
        var form = await AuditPageResults.ReadFormAsync(context).ConfigureAwait(false);
        if (form is null)
        {
            return AuditPageResults.FormRefused(context);
        }

        string returnUrl = form["returnUrl"].ToString();
        var address = context.Connection.RemoteIpAddress?.ToString() ?? "";
        if (!throttle.MayTry(address))
        {
            return Page(context, options, SignInProblem.Describe(SignInProblem.Throttled), true, returnUrl, StatusCodes.Status429TooManyRequests);
        }

        var key = form["key"].ToString().Trim();
        if (key.Length == 0)
        {
            return Page(context, options, SignInProblem.Describe(SignInProblem.NoKey), true, returnUrl, StatusCodes.Status400BadRequest);
        }

        if (keys.Find(key) is not { } entry)
        {
            Failed(log, throttle, address, "(unknown key)", "not a configured API key");
            return Page(context, options, SignInProblem.Describe(SignInProblem.UnknownKey), true, returnUrl, StatusCodes.Status401Unauthorized);
        }

        if (!AuditorPrincipal.MaySignIn(entry.Roles))
        {
            Failed(log, throttle, address, entry.Name, $"the key holds {string.Join(", ", entry.Roles)}, not the auditor role");
            return Page(context, options, SignInProblem.Describe(SignInProblem.NotAuditor), true, returnUrl, StatusCodes.Status403Forbidden);
        }

        await context.SignInAsync(AuditPageSchemes.Cookie, AuditorPrincipal.Create(entry.Name, AuditorPrincipal.ApiKeyMethod),
            AuditPageCookieSetup.SignInProperties(clock)).ConfigureAwait(false);
        AuditPageLog.SignedIn(log, LogText.Printable(entry.Name), AuditorPrincipal.ApiKeyMethod);

        // See Other: the browser follows with a GET, so a reload does not post the key again.
        return new SeeOther(AuditPageResults.SafeReturnUrl(returnUrl));
    }

    public static IResult SignInWithIssuer(string? returnUrl) =>
        Results.Challenge(new AuthenticationProperties { RedirectUri = AuditPageResults.SafeReturnUrl(returnUrl), IsPersistent = true }, [AuditPageSchemes.OpenIdConnect]);

    public static async Task<IResult> SignOutAsync(HttpContext context, AuditPageSessions sessions, ILoggerFactory loggers)
    {
        var form = await AuditPageResults.ReadFormAsync(context).ConfigureAwait(false);
        if (form is null)
        {
            return AuditPageResults.FormRefused(context);
        }

        // Ended on the server too: a copy of the cookie taken before is refused from now on.
        var current = await context.AuthenticateAsync(AuditPageSchemes.Cookie).ConfigureAwait(false);
        if (current.Properties is { } properties && AuditPageCookieSetup.SessionOf(properties) is ({ } session, { } signedIn))
        {
            sessions.End(session, signedIn);
        }

        var name = AuditorPrincipal.NameOf(context.User) ?? "";
        await context.SignOutAsync(AuditPageSchemes.Cookie).ConfigureAwait(false);
        AuditPageLog.SignedOut(loggers.CreateLogger(typeof(AuditPageLog).FullName!), LogText.Printable(name));
        return new SeeOther($"{AuditPageSchemes.SignInPath}?problem={SignInProblem.SignedOut}");
    }

    private static void Failed(ILogger log, SignInThrottle throttle, string address, string name, string reason)
    {
        AuditPageLog.SignInRefused(log, AuditorPrincipal.ApiKeyMethod, LogText.Printable(name), reason);
        var failures = throttle.Fail(address);
        if (failures == SignInThrottle.MaxFailures)
        {
            AuditPageLog.SignInThrottled(log, address, failures);
        }
    }

    private static RazorComponentResult<Pages.SignInPage> Page(HttpContext context, IOptions<AuditPageOptions> options, string? message, bool refusal, string? returnUrl, int status) =>
        AuditPageResults.Page<Pages.SignInPage>(
            new SignInPageModel(AuditPageResults.Frame(context, ""), message, refusal, AuditPageResults.SafeReturnUrl(returnUrl), options.Value.OpenIdConnect.IsConfigured),
            status);
}
