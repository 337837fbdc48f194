using Grpc.AspNetCore.Server;
using Microsoft.AspNetCore.Authorization;
using SafetyCheck.Logging;

namespace SafetyCheck.Security;

/// <summary>
/// Decides <see cref="GrpcServiceAccessRequirement"/> by the gRPC service a request names: open services pass anyone,
/// other services need an authenticated caller holding one of their roles. The service is read from the endpoint's
/// gRPC method, or, for paths no method serves (grpc-dotnet's UNIMPLEMENTED catch-alls, anything else), from the
/// path <c>/SERVICE/METHOD</c>: an unknown method of a service is judged as that service, and an unknown service
/// has no role that opens it, so without credentials nothing but health and reflection answers anything but
/// UNAUTHENTICATED. A failure on an unauthenticated caller is answered UNAUTHENTICATED, on an authenticated one
/// PERMISSION_DENIED, as gRPC statuses that say what to send (<see cref="GrpcAuthorizationResultHandler"/>).
/// </summary>
internal sealed class GrpcServiceAccessHandler(ILogger<GrpcServiceAccessHandler> log) : AuthorizationHandler<GrpcServiceAccessRequirement>
{
    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, GrpcServiceAccessRequirement requirement)
    {
        ArgumentNullException.ThrowIfNull(context);
        var http = context.Resource as HttpContext;
        var endpoint = context.Resource switch
        {
            HttpContext h => h.GetEndpoint(),
            Endpoint e => e,
            _ => null,
        };
        var method = endpoint?.Metadata.GetMetadata<GrpcMethodMetadata>()?.Method;
        var service = method?.ServiceName ?? ServiceOf(http?.Request.Path.Value);
        if (ServiceAccess.IsOpen(service))
        {
            context.Succeed(requirement);
            return Task.CompletedTask;
        }

        var user = context.User;
        if (user.Identity?.IsAuthenticated != true)
        {
            return Task.CompletedTask;
        }

        var roles = ServiceAccess.RolesFor(service, method?.Name);
        if (roles.Any(user.IsInRole))
        {
            context.Succeed(requirement);
        }
        else
        {
            SecurityLog.RoleMissing(log, user.Identity.Name ?? "", method?.FullName ?? LogText.Printable(http?.Request.Path.Value),
                roles.Count == 0 ? "(none: the service has no access rule)" : string.Join(" or ", roles));
        }

        return Task.CompletedTask;
    }

    /// <summary>The service of a gRPC path <c>/SERVICE/METHOD</c>; empty for any other path.</summary>
    internal static string ServiceOf(string? path)
    {
        var parts = (path ?? "").Split('/');
        return parts is ["", { Length: > 0 } service, { Length: > 0 }] ? service : "";
    }
}
