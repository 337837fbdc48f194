using Grpc.Core;
using Grpc.Core.Interceptors;
using SafetyCheck.Core.Domain;
using SafetyCheck.Logging;
using SafetyCheck.Telemetry;

namespace SafetyCheck.Grpc;

/// <summary>
/// Runs around every handler: records that the request was decoded (so <see cref="UndecodableRequestMiddleware"/>
/// can tell caller errors from server faults), logs every refusal as one line, turns cancellation into CANCELLED,
/// an undecodable message of a request stream into INVALID_ARGUMENT, and an unexpected exception into a logged
/// INTERNAL that leaks nothing.
/// </summary>
internal sealed class ErrorMappingInterceptor(ILogger<ErrorMappingInterceptor> log, SafetyCheckMetrics metrics) : Interceptor
{
    private static readonly object DecodedKey = new();

    /// <summary>True when a handler was reached for this HTTP request, i.e. grpc-dotnet decoded its message.</summary>
    public static bool WasDecoded(HttpContext context) => context.Items.ContainsKey(DecodedKey);

    public override Task<TResponse> UnaryServerHandler<TRequest, TResponse>(
        TRequest request,
        ServerCallContext context,
        UnaryServerMethod<TRequest, TResponse> continuation)
    {
        ArgumentNullException.ThrowIfNull(continuation);
        return GuardAsync(context, () => continuation(request, context));
    }

    public override Task ServerStreamingServerHandler<TRequest, TResponse>(
        TRequest request,
        IServerStreamWriter<TResponse> responseStream,
        ServerCallContext context,
        ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        ArgumentNullException.ThrowIfNull(continuation);
        return GuardAsync(context, async () =>
        {
            await continuation(request, responseStream, context).ConfigureAwait(false);
            return true;
        });
    }

    public override Task<TResponse> ClientStreamingServerHandler<TRequest, TResponse>(
        IAsyncStreamReader<TRequest> requestStream,
        ServerCallContext context,
        ClientStreamingServerMethod<TRequest, TResponse> continuation)
    {
        ArgumentNullException.ThrowIfNull(continuation);
        return GuardAsync(context, () => continuation(new DecodingStreamReader<TRequest>(requestStream, context), context));
    }

    public override Task DuplexStreamingServerHandler<TRequest, TResponse>(
        IAsyncStreamReader<TRequest> requestStream,
        IServerStreamWriter<TResponse> responseStream,
        ServerCallContext context,
        DuplexStreamingServerMethod<TRequest, TResponse> continuation)
    {
        ArgumentNullException.ThrowIfNull(continuation);
        return GuardAsync(context, async () =>
        {
            await continuation(new DecodingStreamReader<TRequest>(requestStream, context), responseStream, context).ConfigureAwait(false);
            return true;
        });
    }

    /// <summary>The level of the one line logged for a refusal: the caller's errors at Information, faults at Error.</summary>
    internal static LogLevel LevelOf(StatusCode status) => status switch
    {
        // Logged where they arise (limits, audit, rule set, cancellation) with more to say.
        StatusCode.ResourceExhausted or StatusCode.Unavailable or StatusCode.Cancelled or StatusCode.DeadlineExceeded => LogLevel.Debug,
        StatusCode.Internal or StatusCode.Unknown or StatusCode.DataLoss => LogLevel.Error,
        _ => LogLevel.Information,
    };

    private static string CallerName(ServerCallContext context)
    {
        try
        {
            return context.GetHttpContext().User.Identity?.Name is { Length: > 0 } name ? name : "an anonymous caller";
        }
        catch (InvalidOperationException)
        {
            // A context not served by ASP.NET Core has no HttpContext.
            return "an unknown caller";
        }
    }

    private async Task<T> GuardAsync<T>(ServerCallContext context, Func<Task<T>> handler)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.UserState[DecodedKey] = true;
        try
        {
            return await handler().ConfigureAwait(false);
        }
        catch (RpcException ex)
        {
            metrics.RecordRejectedCall(RpcErrors.ReasonOf(ex) ?? ex.StatusCode.ToString());
            var level = RpcErrors.WasLoggedWhereItArose(ex) ? LogLevel.Debug : LevelOf(ex.StatusCode);
            if (log.IsEnabled(level))
            {
                var status = EnumNames.Of(ex.StatusCode); // INVALID_ARGUMENT, as gRPC names it
                var detail = LogText.Printable(ex.Status.Detail);
                var caller = CallerName(context);
                GrpcLog.Answered(log, level, status, caller, context.Method, detail);
            }

            throw;
        }
        catch (OperationCanceledException) when (context.CancellationToken.IsCancellationRequested)
        {
            // When the deadline passed, grpc-dotnet has already answered DEADLINE_EXCEEDED and cancelled the token;
            // this status only reaches a caller that is still listening after cancelling.
            GrpcLog.CallCancelled(log, context.Method);
            metrics.RecordRejectedCall(ErrorReasons.Cancelled);
            throw RpcErrors.Error(StatusCode.Cancelled, ErrorReasons.Cancelled, "The call was cancelled or its deadline passed.");
        }
        catch (Exception ex)
        {
            GrpcLog.UnexpectedError(log, ex, context.Method);
            metrics.RecordRejectedCall(ErrorReasons.Internal);
            throw RpcErrors.Error(StatusCode.Internal, ErrorReasons.Internal, "The service failed unexpectedly; the error is logged.");
        }
    }
}
