using Grpc.Core;
using SafetyCheck.Grpc;

namespace SafetyCheck.Limits;

/// <summary>
/// On a health address (<see cref="LimitsOptions.HealthUrls"/>) only <c>grpc.health.v1.Health</c> is served: any other
/// call is answered UNIMPLEMENTED before authentication, so the health port never becomes a second way in.
/// </summary>
internal sealed class HealthListenerMiddleware(RequestDelegate next, HealthListener health)
{
    public Task InvokeAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (!health.IsEnabled || !health.Accepts(context) || context.Request.Path.StartsWithSegments(HealthListener.HealthPath, StringComparison.Ordinal))
        {
            return next(context);
        }

        GrpcStatusWriter.Write(context.Response, StatusCode.Unimplemented, ErrorReasons.HealthOnlyAddress, "This address serves grpc.health.v1.Health only.");
        return Task.CompletedTask;
    }
}
