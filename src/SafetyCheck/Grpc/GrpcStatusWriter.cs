using System.Globalization;
using Google.Protobuf;
using Grpc.Core;
using SafetyCheck.Telemetry;

namespace SafetyCheck.Grpc;

/// <summary>
/// Answers a gRPC call from middleware, before any handler runs: a trailers-only response (HTTP 200, the status in
/// the headers), which every gRPC client reads as that status, with the same <c>google.rpc.ErrorInfo</c> (and further
/// details) in <c>grpc-status-details-bin</c> as a handler's error would carry. An HTTP error code would not do:
/// clients map 429 and 503 to UNAVAILABLE, not RESOURCE_EXHAUSTED, and 401 to a status with no message.
/// </summary>
internal static class GrpcStatusWriter
{
    /// <summary>The header of the serialized <c>google.rpc.Status</c>.</summary>
    public const string DetailsHeaderName = "grpc-status-details-bin";

    /// <summary>
    /// Writes <paramref name="code"/> with <paramref name="message"/> (printable ASCII without '%', sent as is), an
    /// ErrorInfo of <paramref name="reason"/> and <paramref name="details"/>, and counts the refusal.
    /// </summary>
    public static void Write(HttpResponse response, StatusCode code, string reason, string message, params IMessage[] details) =>
        Write(response, RpcErrors.Status(code, reason, message, null, details));

    /// <summary>Writes <paramref name="status"/> (its message printable ASCII without '%') and counts the refusal.</summary>
    public static void Write(HttpResponse response, Google.Rpc.Status status)
    {
        ArgumentNullException.ThrowIfNull(response);
        ArgumentNullException.ThrowIfNull(status);
        if (status.Message.Any(c => c is < ' ' or > '~' or '%'))
        {
            throw new ArgumentException("grpc-message text here is printable ASCII without '%'.", nameof(status));
        }

        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "application/grpc";
        response.Headers["grpc-status"] = status.Code.ToString(CultureInfo.InvariantCulture);
        response.Headers["grpc-message"] = status.Message;
        response.Headers[DetailsHeaderName] = RpcErrors.DetailsHeader(status);
        if (status.GetDetail<Google.Rpc.ErrorInfo>() is { } info)
        {
            CountRejected(response.HttpContext, info.Reason);
        }
    }

    /// <summary>Counts a call refused for <paramref name="reason"/> on the service's metrics (when the host has them).</summary>
    public static void CountRejected(HttpContext context, string reason)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.RequestServices?.GetService<SafetyCheckMetrics>()?.RecordRejectedCall(reason);
    }
}
