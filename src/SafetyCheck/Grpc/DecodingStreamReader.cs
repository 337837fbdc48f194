using Grpc.Core;

namespace SafetyCheck.Grpc;

/// <summary>
/// A request stream whose messages grpc-dotnet decodes as the handler reads them: a message that cannot be decoded
/// (malformed protobuf, a bad frame) is the caller's error, so it becomes INVALID_ARGUMENT rather than an unexpected
/// exception inside the handler.
/// </summary>
internal sealed class DecodingStreamReader<T>(IAsyncStreamReader<T> inner, ServerCallContext context) : IAsyncStreamReader<T>
{
    public T Current => inner.Current;

    public async Task<bool> MoveNext(CancellationToken cancellationToken)
    {
        try
        {
            return await inner.MoveNext(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not (RpcException or OperationCanceledException))
        {
            if (context.CancellationToken.IsCancellationRequested)
            {
                // The call ended (the caller went away, or the server is stopping) while its stream was read:
                // grpc-dotnet then says "Can't read messages after the request is complete". A cancellation, not a fault.
                throw new OperationCanceledException("The call ended while its request stream was read.", ex, context.CancellationToken);
            }

            throw RpcErrors.Error(StatusCode.InvalidArgument, ErrorReasons.UndecodableRequest, $"A message of the request stream to {context.Method} could not be decoded.");
        }
    }
}
