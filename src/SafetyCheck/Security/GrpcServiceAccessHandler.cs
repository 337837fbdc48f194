using Grpc.AspNetCore.Server;
using Microsoft.AspNetCore.Authorization;

namespace SafetyCheck.Security;

/// <summary>
/// Decides <see cref="GrpcServiceAccessRequirement"/> from the endpoint's gRPC method: open services pass anyone,
/// other services need an authenticated caller holding one of their roles. A failure on an unauthenticated caller
/// becomes a challenge (HTTP 401, which gRPC clients read as UNAUTHENTICATED); on an authenticated one, a refusal
/// (HTTP 403, PERMISSION_DENIED). Endpoints that are not gRPC methods (grpc-dotnet's UNIMPLEMENTED catch-alls) pass.
/// </summary>
internal sealed class GrpcServiceAccessHandler(ILogger<GrpcServiceAccessHandler> log) : AuthorizationHandler<GrpcServiceAccessRequirement>
{
    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, GrpcServiceAccessRequirement requirement)
    {
        ArgumentNullException.ThrowIfNull(context);
        var endpoint = context.Resource switch
        {
            HttpContext http => http.GetEndpoint(),
            Endpoint e => e,
            _ => null,
        };
        var method = endpoint?.Metadata.GetMetadata<GrpcMethodMetadata>()?.Method;
        if (method is null || ServiceAccess.IsOpen(method.ServiceName))
        {
            context.Succeed(requirement);
            return Task.CompletedTask;
        }

        var user = context.User;
        if (user.Identity?.IsAuthenticated != true)
        {
            return Task.CompletedTask;
        }

        var roles = ServiceAccess.RolesFor(method.ServiceName);
        if (roles.Any(user.IsInRole))
        {
            context.Succeed(requirement);
        }
        else
        {
            SecurityLog.RoleMissing(log, user.Identity.Name ?? "", method.FullName, roles.Count == 0 ? "(none: the service has no access rule)" : string.Join(" or ", roles));
        }

        return Task.CompletedTask;
    }
}
