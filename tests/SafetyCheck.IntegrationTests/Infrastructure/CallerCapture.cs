using System.Collections.Concurrent;
using Grpc.AspNetCore.Server;
using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;

namespace SafetyCheck.IntegrationTests.Infrastructure;

/// <summary>
/// Records, for every call that reaches a handler, the caller name the audit trail stores
/// (<c>HttpContext.User.Identity.Name</c>) and its roles.
/// </summary>
public sealed class CallerCapture
{
    private readonly ConcurrentQueue<(string? Name, string[] Roles)> _callers = new();

    public IReadOnlyList<(string? Name, string[] Roles)> Callers => [.. _callers];

    public (string? Name, string[] Roles) Last => Assert.Single(_callers.TakeLast(1));

    /// <summary>Adds the capture to a host's services and gRPC interceptors.</summary>
    public static CallerCapture AddTo(IServiceCollection services)
    {
        var capture = new CallerCapture();
        services.AddSingleton(capture);
        services.AddSingleton<Interceptor>();
        services.Configure<GrpcServiceOptions>(o => o.Interceptors.Add<Interceptor>());
        return capture;
    }

    private sealed class Interceptor(CallerCapture capture) : global::Grpc.Core.Interceptors.Interceptor
    {
        public override Task<TResponse> UnaryServerHandler<TRequest, TResponse>(TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
        {
            var user = context.GetHttpContext().User;
            capture._callers.Enqueue((user.Identity?.Name, user.FindAll("roles").Select(c => c.Value).Order(StringComparer.Ordinal).ToArray()));
            return continuation(request, context);
        }
    }
}
