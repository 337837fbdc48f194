using Grpc.AspNetCore.Server;
using Grpc.Core;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using SafetyCheck.Grpc;

namespace SafetyCheck.Security;

/// <summary>
/// Answers a refused call as gRPC, not as a bare HTTP 401 or 403: UNAUTHENTICATED or PERMISSION_DENIED in a
/// trailers-only response whose message says what to send, with a <c>google.rpc.ErrorInfo</c> (CREDENTIALS_MISSING,
/// CREDENTIALS_INVALID, or ROLE_MISSING with the roles that would do in its metadata <c>required_roles</c>). Calls that
/// pass, and requests that are not gRPC (the auditor's pages), are handled by ASP.NET's default.
/// </summary>
internal sealed class GrpcAuthorizationResultHandler : IAuthorizationMiddlewareResultHandler
{
    private const string HowToAuthenticate =
        "send 'authorization: Bearer KEY' with an API key or a JWT the service trusts, or present a mapped client certificate (README, Security)";

    private readonly AuthorizationMiddlewareResultHandler _default = new();

    public async Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(authorizeResult);
        // Only gRPC calls get a gRPC status; other endpoints (the auditor's pages) keep their own challenge and refusal.
        if (authorizeResult.Succeeded || context.Request.ContentType?.StartsWith("application/grpc", StringComparison.OrdinalIgnoreCase) != true)
        {
            await _default.HandleAsync(next, context, policy, authorizeResult).ConfigureAwait(false);
            return;
        }

        if (authorizeResult.Challenged || context.User.Identity?.IsAuthenticated != true)
        {
            // The authentication middleware keeps only a success; the handlers cache their result, so asking again is cheap.
            var failed = (await context.AuthenticateAsync().ConfigureAwait(false)).Failure is not null;
            context.Response.Headers.WWWAuthenticate = "Bearer";

            // A header no handler reads (Basic, Digest, a bare key without 'Bearer ') was still sent as credentials: it is
            // invalid, not missing, and the caller is told which form is read. The header's value is never quoted.
            var unusableHeader = !failed && !string.IsNullOrWhiteSpace(context.Request.Headers.Authorization.ToString());
            GrpcStatusWriter.Write(context.Response, failed
                ? RpcErrors.Status(StatusCode.Unauthenticated, ErrorReasons.CredentialsInvalid, $"The credentials sent are not valid (an unknown API key, a token that is expired or not trusted, or a client certificate that is not mapped): {HowToAuthenticate}.")
                : unusableHeader
                ? RpcErrors.Status(StatusCode.Unauthenticated, ErrorReasons.CredentialsInvalid, $"The authorization header is not in a form this service accepts (only the Bearer scheme is; Basic and other schemes are not): {HowToAuthenticate}.")
                : RpcErrors.Status(StatusCode.Unauthenticated, ErrorReasons.CredentialsMissing, $"This call needs credentials: {HowToAuthenticate}."));
            return;
        }

        var method = context.GetEndpoint()?.Metadata.GetMetadata<GrpcMethodMetadata>()?.Method;
        var service = method?.ServiceName ?? GrpcServiceAccessHandler.ServiceOf(context.Request.Path.Value);
        var roles = ServiceAccess.RolesFor(service, method?.Name);
        var message = roles.Count == 0
            ? "No caller may call this service: it has no access rule."
            : $"This caller does not hold the role this service needs: use credentials with the role {string.Join(" or ", roles)}.";
        GrpcStatusWriter.Write(context.Response, RpcErrors.Status(
            StatusCode.PermissionDenied,
            ErrorReasons.RoleMissing,
            message,
            new Dictionary<string, string>(StringComparer.Ordinal) { ["required_roles"] = string.Join(",", roles) }));
    }
}
