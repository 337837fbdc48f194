using System.Globalization;
using Grpc.Core;

namespace SafetyCheck.Limits;

/// <summary>
/// Answers a gRPC call from middleware, before any handler runs: a trailers-only response (HTTP 200, the status in
/// the headers), which every gRPC client reads as that status. An HTTP error code would not do: clients map 429 and
/// 503 to UNAVAILABLE, not RESOURCE_EXHAUSTED.
/// </summary>
internal static class GrpcStatusWriter
{
    /// <summary>Writes <paramref name="code"/> with <paramref name="message"/> (printable ASCII without '%', sent as is).</summary>
    public static void Write(HttpResponse response, StatusCode code, string message)
    {
        ArgumentNullException.ThrowIfNull(response);
        ArgumentNullException.ThrowIfNull(message);
        if (message.Any(c => c is < ' ' or > '~' or '%'))
        {
            throw new ArgumentException("grpc-message text here is printable ASCII without '%'.", nameof(message));
        }

        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "application/grpc";
        response.Headers["grpc-status"] = ((int)code).ToString(CultureInfo.InvariantCulture);
        response.Headers["grpc-message"] = message;
    }
}
