using System.Globalization;
using System.Text;
using Grpc.AspNetCore.Server;
using SafetyCheck.Logging;

namespace SafetyCheck.Grpc;

/// <summary>
/// grpc-dotnet answers a request it cannot decode (malformed protobuf, a truncated frame, a wrong content type)
/// with INTERNAL or UNKNOWN before any handler runs, and a frame length of 2^31 or more the same way. Those are the
/// caller's errors, so when a gRPC method's handler was never reached and the status is one of those, rewrite the
/// trailers-only response: RESOURCE_EXHAUSTED when the frame declared more than the message size limit, else
/// INVALID_ARGUMENT. Each such refusal is logged as one line, without a stack trace and never with the body
/// (grpc-dotnet's own call logging, which would add an error with a stack trace, is switched off by the host).
/// A failure after the handler has run (writing the response) is the service's and is logged with its exception.
/// A request the caller aborted before it was decoded is a cancellation: logged and counted as CANCELLED, not rewritten.
/// </summary>
internal sealed class UndecodableRequestMiddleware(RequestDelegate next, IOptions<GrpcServiceOptions> grpc, ILogger<UndecodableRequestMiddleware> log)
{
    private const string GrpcStatus = "grpc-status";
    private const string GrpcMessage = "grpc-message";

    // grpc-dotnet's message when a deserializer threw: it says nothing useful to the caller.
    private const string HandlerThrew = "Exception was thrown by handler.";

    private const string TooLarge = "Received message exceeds the maximum configured message size.";

    public async Task InvokeAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var method = context.GetEndpoint()?.Metadata.GetMetadata<GrpcMethodMetadata>()?.Method;
        if (method is null)
        {
            await next(context).ConfigureAwait(false);
            return;
        }

        var frame = FrameHeaderReader.Install(context);
        await next(context).ConfigureAwait(false);

        var callStatus = context.Features.Get<IServerCallContextFeature>()?.ServerCallContext.Status;
        if (ErrorMappingInterceptor.WasDecoded(context))
        {
            // The interceptor reports what the handler threw; UNKNOWN with an exception here came after it.
            if (callStatus is { StatusCode: global::Grpc.Core.StatusCode.Unknown, DebugException: { } fault })
            {
                GrpcLog.FailedAfterHandler(log, fault, method.FullName);
            }

            return;
        }

        if (context.RequestAborted.IsCancellationRequested)
        {
            // The caller reset the stream (a cancel, or its own deadline) while its body was being read: grpc-dotnet
            // then fails the read ("The client reset the request stream") and answers INTERNAL to no one. That is a
            // cancellation, not an undecodable body: reported as the interceptor reports a call cancelled in its handler.
            // A refusal already written and counted (credentials, limits) is left as it is.
            string? answered = context.Response.Headers[GrpcStatus];
            if (answered is "13" or "2" or "1")
            {
                GrpcLog.CallCancelled(log, method.FullName);
                GrpcStatusWriter.CountRejected(context, ErrorReasons.Cancelled);
            }

            return;
        }

        if (context.Response.HasStarted)
        {
            return;
        }

        var headers = context.Response.Headers;
        string? status = headers[GrpcStatus];
        var limit = grpc.Value.MaxReceiveMessageSize;
        if (frame.DeclaredLength is { } declared && declared > (uint?)limit && (status == ResourceExhausted || status is "13" or "2"))
        {
            GrpcLog.TooLarge(log, method.FullName, declared, limit ?? 0);
            headers[GrpcStatus] = ResourceExhausted;
            headers[GrpcMessage] = TooLarge;
            headers[GrpcStatusWriter.DetailsHeaderName] = RpcErrors.DetailsHeader(RpcErrors.Status(global::Grpc.Core.StatusCode.ResourceExhausted, ErrorReasons.MessageTooLarge, TooLarge));
            GrpcStatusWriter.CountRejected(context, ErrorReasons.MessageTooLarge);
            return;
        }

        if (status == Unimplemented && context.Request.Headers.ContainsKey("grpc-encoding"))
        {
            // grpc-dotnet refuses a compression it does not decode with UNIMPLEMENTED, as the gRPC protocol asks, and
            // a message naming the encodings it does; the status gets its ErrorInfo like every other refusal.
            var refusal = Uri.UnescapeDataString(headers[GrpcMessage].ToString());
            GrpcLog.Undecodable(log, method.FullName, context.Response.StatusCode, LogText.Printable(refusal));
            headers[GrpcStatusWriter.DetailsHeaderName] = RpcErrors.DetailsHeader(RpcErrors.Status(global::Grpc.Core.StatusCode.Unimplemented, ErrorReasons.UnsupportedEncoding, refusal));
            GrpcStatusWriter.CountRejected(context, ErrorReasons.UnsupportedEncoding);
            return;
        }

        if (status is not ("13" or "2"))
        {
            return;
        }

        string? original = headers[GrpcMessage];
        var reason = string.IsNullOrEmpty(original) || original.StartsWith(HandlerThrew, StringComparison.Ordinal)
            ? "the body is not a valid protobuf request message (malformed or truncated)"
            : Uri.UnescapeDataString(original);
        var cause = callStatus?.DebugException is { } ex ? $"{ex.GetType().Name}: {ex.Message}" : reason;
        GrpcLog.Undecodable(log, method.FullName, context.Response.StatusCode, LogText.Printable(cause));

        if (context.Response.StatusCode == StatusCodes.Status415UnsupportedMediaType)
        {
            // gRPC clients read grpc-status only from an HTTP 200 response.
            context.Response.StatusCode = StatusCodes.Status200OK;
            context.Response.ContentType = "application/grpc";
        }

        var message = $"The request to {method.FullName} could not be decoded: {reason}";
        headers[GrpcStatus] = InvalidArgument;
        headers[GrpcMessage] = PercentEncode(message);
        headers[GrpcStatusWriter.DetailsHeaderName] = RpcErrors.DetailsHeader(RpcErrors.Status(global::Grpc.Core.StatusCode.InvalidArgument, ErrorReasons.UndecodableRequest, message));
        GrpcStatusWriter.CountRejected(context, ErrorReasons.UndecodableRequest);
    }

    private static string InvalidArgument => ((int)global::Grpc.Core.StatusCode.InvalidArgument).ToString(CultureInfo.InvariantCulture);

    private static string Unimplemented => ((int)global::Grpc.Core.StatusCode.Unimplemented).ToString(CultureInfo.InvariantCulture);

    private static string ResourceExhausted => ((int)global::Grpc.Core.StatusCode.ResourceExhausted).ToString(CultureInfo.InvariantCulture);

    /// <summary>grpc-message encoding: printable ASCII except '%' as is, every other UTF-8 byte as %XX.</summary>
    private static string PercentEncode(string text)
    {
        var sb = new StringBuilder(text.Length);
        foreach (var b in Encoding.UTF8.GetBytes(text))
        {
            if (b is >= 0x20 and <= 0x7E and not (byte)'%')
            {
                sb.Append((char)b);
            }
            else
            {
                sb.Append('%').Append(b.ToString("X2", CultureInfo.InvariantCulture));
            }
        }

        return sb.ToString();
    }
}
