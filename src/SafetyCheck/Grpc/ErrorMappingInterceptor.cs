using Grpc.Core;
using Grpc.Core.Interceptors;

namespace SafetyCheck.Grpc;

/// <summary>
/// Runs around every handler: records that the request was decoded (so <see cref="UndecodableRequestMiddleware"/>
/// can tell caller errors from server faults), turns cancellation into CANCELLED, and turns an
/// unexpected exception into a logged INTERNAL that leaks nothing.
/// </summary>
internal sealed class ErrorMappingInterceptor(ILogger<ErrorMappingInterceptor> log) : Interceptor
{
    private static readonly object DecodedKey = new();

    /// <summary>True when a handler was reached for this HTTP request, i.e. grpc-dotnet decoded its message.</summary>
    public static bool WasDecoded(HttpContext context) => context.Items.ContainsKey(DecodedKey);

    public override async Task<TResponse> UnaryServerHandler<TRequest, TResponse>(
        TRequest request,
        ServerCallContext context,
        UnaryServerMethod<TRequest, TResponse> continuation)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(continuation);
        context.UserState[DecodedKey] = true;
        try
        {
            return await continuation(request, context).ConfigureAwait(false);
        }
        catch (RpcException)
        {
            throw;
        }
        catch (OperationCanceledException) when (context.CancellationToken.IsCancellationRequested)
        {
            // When the deadline passed, grpc-dotnet has already answered DEADLINE_EXCEEDED and cancelled the token;
            // this status only reaches a caller that is still listening after cancelling.
            GrpcLog.CallCancelled(log, context.Method);
            throw new RpcException(new global::Grpc.Core.Status(StatusCode.Cancelled, "The call was cancelled or its deadline passed."));
        }
        catch (Exception ex)
        {
            GrpcLog.UnexpectedError(log, ex, context.Method);
            throw new RpcException(new global::Grpc.Core.Status(StatusCode.Internal, "The service failed unexpectedly; the error is logged."));
        }
    }

    public override Task ServerStreamingServerHandler<TRequest, TResponse>(
        TRequest request,
        IServerStreamWriter<TResponse> responseStream,
        ServerCallContext context,
        ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(continuation);
        context.UserState[DecodedKey] = true;
        return continuation(request, responseStream, context);
    }

    public override Task<TResponse> ClientStreamingServerHandler<TRequest, TResponse>(
        IAsyncStreamReader<TRequest> requestStream,
        ServerCallContext context,
        ClientStreamingServerMethod<TRequest, TResponse> continuation)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(continuation);
        context.UserState[DecodedKey] = true;
        return continuation(requestStream, context);
    }

    public override Task DuplexStreamingServerHandler<TRequest, TResponse>(
        IAsyncStreamReader<TRequest> requestStream,
        IServerStreamWriter<TResponse> responseStream,
        ServerCallContext context,
        DuplexStreamingServerMethod<TRequest, TResponse> continuation)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(continuation);
        context.UserState[DecodedKey] = true;
        return continuation(requestStream, responseStream, context);
    }
}
