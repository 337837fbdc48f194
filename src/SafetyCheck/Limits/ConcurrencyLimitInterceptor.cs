using Grpc.Core;
using Grpc.Core.Interceptors;
using SafetyCheck.Grpc;
using SafetyCheck.Logging;
using SafetyCheck.Security;

namespace SafetyCheck.Limits;

/// <summary>
/// Holds a <see cref="CallConcurrencyLimiter"/> slot for the whole of each call (a stream's too), so a burst of calls
/// waits its turn instead of crowding the processors; when every slot is taken and the queue is full, the call gets
/// RESOURCE_EXHAUSTED at once (logged through <see cref="CallRefusals"/>). The message is already decoded here, so a
/// slow sender holds no slot. The open services (health, reflection) take no slot: a saturated service is busy, not
/// dead, and an anonymous client holding reflection streams open must not be able to take every slot from the
/// clinical apps.
/// </summary>
internal sealed class ConcurrencyLimitInterceptor(CallConcurrencyLimiter limiter, CallRefusals refusals) : Interceptor
{
    /// <summary>The retry delay a refused call is given (calls take milliseconds, so a slot is soon free).</summary>
    private static readonly TimeSpan RetryWhenOverloaded = TimeSpan.FromMilliseconds(200);

    public override async Task<TResponse> UnaryServerHandler<TRequest, TResponse>(
        TRequest request,
        ServerCallContext context,
        UnaryServerMethod<TRequest, TResponse> continuation)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(continuation);
        if (IsExempt(context))
        {
            return await continuation(request, context).ConfigureAwait(false);
        }

        using var lease = await AcquireAsync(context).ConfigureAwait(false);
        return await continuation(request, context).ConfigureAwait(false);
    }

    public override async Task ServerStreamingServerHandler<TRequest, TResponse>(
        TRequest request,
        IServerStreamWriter<TResponse> responseStream,
        ServerCallContext context,
        ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(continuation);
        if (IsExempt(context))
        {
            await continuation(request, responseStream, context).ConfigureAwait(false);
            return;
        }

        using var lease = await AcquireAsync(context).ConfigureAwait(false);
        await continuation(request, responseStream, context).ConfigureAwait(false);
    }

    public override async Task<TResponse> ClientStreamingServerHandler<TRequest, TResponse>(
        IAsyncStreamReader<TRequest> requestStream,
        ServerCallContext context,
        ClientStreamingServerMethod<TRequest, TResponse> continuation)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(continuation);
        if (IsExempt(context))
        {
            return await continuation(requestStream, context).ConfigureAwait(false);
        }

        using var lease = await AcquireAsync(context).ConfigureAwait(false);
        return await continuation(requestStream, context).ConfigureAwait(false);
    }

    public override async Task DuplexStreamingServerHandler<TRequest, TResponse>(
        IAsyncStreamReader<TRequest> requestStream,
        IServerStreamWriter<TResponse> responseStream,
        ServerCallContext context,
        DuplexStreamingServerMethod<TRequest, TResponse> continuation)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(continuation);
        if (IsExempt(context))
        {
            await continuation(requestStream, responseStream, context).ConfigureAwait(false);
            return;
        }

        using var lease = await AcquireAsync(context).ConfigureAwait(false);
        await continuation(requestStream, responseStream, context).ConfigureAwait(false);
    }

    /// <summary>Calls to a service anyone may call (<c>/service/method</c>).</summary>
    private static bool IsExempt(ServerCallContext context)
    {
        var method = context.Method.AsSpan().TrimStart('/');
        var slash = method.IndexOf('/');
        return slash > 0 && ServiceAccess.IsOpen(method[..slash].ToString());
    }

    private async Task<System.Threading.RateLimiting.RateLimitLease> AcquireAsync(ServerCallContext context)
    {
        var lease = await limiter.AcquireAsync(context.CancellationToken).ConfigureAwait(false);
        if (lease.IsAcquired)
        {
            return lease;
        }

        lease.Dispose();
        // Authentication and authorization ran before the interceptors: the caller is named (never by its credential).
        var caller = context.GetHttpContext()?.User.Identity is { IsAuthenticated: true, Name: { Length: > 0 } name } ? LogText.Printable(name) : "(not authenticated)";
        refusals.Saturated(LogText.Printable(context.Method), caller);
        throw RpcErrors.Error(
            StatusCode.ResourceExhausted,
            ErrorReasons.Overloaded,
            "The service is handling as many calls as it is configured to, and its queue is full; retry after the delay in google.rpc.RetryInfo.",
            RpcErrors.RetryAfter(RetryWhenOverloaded));
    }
}
