using System.Text;
using Grpc.AspNetCore.Server;

namespace SafetyCheck.Grpc;

/// <summary>
/// grpc-dotnet answers a request it cannot decode (malformed protobuf, a truncated frame, a wrong content type)
/// with INTERNAL or UNKNOWN before any handler runs. That is the caller's error, so when a gRPC method's handler was
/// never reached and the status is one of those, rewrite the trailers-only response to INVALID_ARGUMENT.
/// </summary>
internal sealed class UndecodableRequestMiddleware(RequestDelegate next, ILogger<UndecodableRequestMiddleware> log)
{
    private const string GrpcStatus = "grpc-status";
    private const string GrpcMessage = "grpc-message";
    private const string InvalidArgument = "3";

    // grpc-dotnet's message when a deserializer threw: it says nothing useful to the caller.
    private const string HandlerThrew = "Exception was thrown by handler.";

    public async Task InvokeAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        await next(context).ConfigureAwait(false);

        var method = context.GetEndpoint()?.Metadata.GetMetadata<GrpcMethodMetadata>()?.Method;
        if (method is null || context.Response.HasStarted || ErrorMappingInterceptor.WasDecoded(context))
        {
            return;
        }

        var headers = context.Response.Headers;
        string? status = headers[GrpcStatus];
        if (status is not ("13" or "2"))
        {
            return;
        }

        string? original = headers[GrpcMessage];
        var reason = string.IsNullOrEmpty(original) || original.StartsWith(HandlerThrew, StringComparison.Ordinal)
            ? "the body is not a valid protobuf request message (malformed or truncated)"
            : Uri.UnescapeDataString(original);
        var message = $"The request to {method.FullName} could not be decoded: {reason}";
        GrpcLog.Undecodable(log, method.FullName, context.Response.StatusCode, reason);

        if (context.Response.StatusCode == StatusCodes.Status415UnsupportedMediaType)
        {
            // gRPC clients read grpc-status only from an HTTP 200 response.
            context.Response.StatusCode = StatusCodes.Status200OK;
            context.Response.ContentType = "application/grpc";
        }

        headers[GrpcStatus] = InvalidArgument;
        headers[GrpcMessage] = PercentEncode(message);
    }

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
                sb.Append('%').Append(b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
            }
        }

        return sb.ToString();
    }
}
