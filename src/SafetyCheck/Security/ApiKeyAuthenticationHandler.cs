using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using SafetyCheck.Logging;

namespace SafetyCheck.Security;

/// <summary>
/// Authenticates <c>authorization: Bearer KEY</c> against <see cref="ApiKeyRegistry"/>. The principal's name is the
/// key's configured name and its roles are the key's (made once per key, see <see cref="ApiKeyRegistry.Entry"/>). No
/// header: no result (the call is then unauthenticated). A token that is no known key fails, and is reported to
/// <see cref="CredentialRefusals"/> (the host keeps ASP.NET's own per-call lines for this handler to warnings and above).
/// </summary>
internal sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory loggerFactory,
    UrlEncoder encoder,
    ApiKeyRegistry keys,
    CredentialRefusals refusals) : AuthenticationHandler<AuthenticationSchemeOptions>(options, loggerFactory, encoder)
{
    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (!BearerToken.TryRead(Request, out var token))
        {
            return Task.FromResult(AuthenticateResult.NoResult());
        }

        if (keys.Find(token) is not { } entry)
        {
            refusals.ApiKeyRefused(LogText.Printable(Request.Path.Value), Context.Connection.RemoteIpAddress?.ToString() ?? "an unknown address");
            return Task.FromResult(AuthenticateResult.Fail("The bearer token is not a valid API key."));
        }

        // The key's principal was made once, when the key was registered; each call gets its own ticket.
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(entry.Principal, Scheme.Name)));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = "Bearer";
        return Task.CompletedTask;
    }
}
