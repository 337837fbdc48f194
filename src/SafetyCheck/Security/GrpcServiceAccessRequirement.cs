using Microsoft.AspNetCore.Authorization;

namespace SafetyCheck.Security;

/// <summary>The host's fallback authorization requirement: the caller's roles must open the called gRPC service (<see cref="ServiceAccess"/>).</summary>
internal sealed class GrpcServiceAccessRequirement : IAuthorizationRequirement
{
    public static GrpcServiceAccessRequirement Instance { get; } = new();
}
