using Grpc.AspNetCore.Server;
using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;

namespace SafetyCheck.IntegrationTests.Infrastructure;

/// <summary>
/// Holds every Check call inside the service (past the host's own interceptors) until <see cref="Open"/>, so a
/// test can have calls in flight at will.
/// </summary>
public sealed class CallGate
{
    private readonly TaskCompletionSource _open = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _entered;
    private int _left;

    /// <summary>Check calls that have reached the gate.</summary>
    public int Entered => Volatile.Read(ref _entered);

    /// <summary>Check calls that have passed the gate and been answered by the service.</summary>
    public int Left => Volatile.Read(ref _left);

    public static CallGate AddTo(IServiceCollection services)
    {
        var gate = new CallGate();
        services.AddSingleton(gate);
        services.AddSingleton<Interceptor>();
        services.Configure<GrpcServiceOptions>(o => o.Interceptors.Add<Interceptor>());
        return gate;
    }

    public void Open() => _open.TrySetResult();

    /// <summary>Waits (up to 30 seconds) until <paramref name="count"/> calls have reached the gate.</summary>
    public async Task WaitForAsync(int count)
    {
        for (var i = 0; i < 3000 && Entered < count; i++)
        {
            await Task.Delay(10);
        }

        Assert.True(Entered >= count, $"{Entered} calls reached the gate, expected {count}");
    }

    private sealed class Interceptor(CallGate gate) : global::Grpc.Core.Interceptors.Interceptor
    {
        public override async Task<TResponse> UnaryServerHandler<TRequest, TResponse>(TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
        {
            if (context.Method == "/safetycheck.v1.SafetyCheck/Check")
            {
                Interlocked.Increment(ref gate._entered);
                await gate._open.Task.WaitAsync(context.CancellationToken);
                var response = await continuation(request, context);
                Interlocked.Increment(ref gate._left);
                return response;
            }

            return await continuation(request, context);
        }
    }
}
