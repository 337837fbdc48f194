using Grpc.Core;
using SafetyCheck.Core.Pipeline;

namespace SafetyCheck.Security;

/// <summary>
/// Who made a gRPC call, as the decision pipeline and the audit record name it: the authenticated principal's name (an
/// API key's name, a token's subject, a certificate's common name, set by authentication), else anonymous.
/// </summary>
internal static class CallerIdentity
{
    /// <summary>The caller of <paramref name="context"/>.</summary>
    public static Caller Of(ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.GetHttpContext().User.Identity is { IsAuthenticated: true, Name: { } name } && !string.IsNullOrWhiteSpace(name)
            ? new Caller(name)
            : Caller.Anonymous;
    }
}
