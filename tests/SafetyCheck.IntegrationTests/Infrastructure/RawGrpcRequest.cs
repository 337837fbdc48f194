using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using Grpc.Core;

namespace SafetyCheck.IntegrationTests.Infrastructure;

/// <summary>Sends a gRPC request body exactly as given, for frames a gRPC client would never send.</summary>
public static class RawGrpcRequest
{
    /// <summary>The answer: HTTP status, gRPC status (null when none was sent) and the decoded grpc-message.</summary>
    public sealed record Answer(HttpStatusCode Http, StatusCode? Grpc, string Message)
    {
        /// <summary>The gRPC status a client would report: UNKNOWN for a non-200 answer or one without a status.</summary>
        public StatusCode AsClientSeesIt => Http == HttpStatusCode.OK && Grpc is { } status ? status : StatusCode.Unknown;
    }

    public static async Task<Answer> SendAsync(HttpClient http, string path, byte[] body, string contentType = "application/grpc", CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(http);
        using var request = new HttpRequestMessage(HttpMethod.Post, path)
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Content = new ByteArrayContent(body),
        };
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        request.Headers.TE.ParseAdd("trailers");
        using var response = await http.SendAsync(request, cancellationToken);
        await response.Content.ReadAsByteArrayAsync(cancellationToken);

        // A trailers-only response carries the status in the headers; otherwise it is in the trailers.
        static string? Header(HttpResponseMessage r, string name) =>
            r.Headers.TryGetValues(name, out var v) ? v.First()
            : r.TrailingHeaders.TryGetValues(name, out var t) ? t.First()
            : null;

        var status = Header(response, "grpc-status");
        return new Answer(
            response.StatusCode,
            status is null ? null : (StatusCode)int.Parse(status, CultureInfo.InvariantCulture),
            Uri.UnescapeDataString(Header(response, "grpc-message") ?? ""));
    }

    /// <summary>A gRPC frame: flag 0, <paramref name="declaredLength"/> big-endian, then <paramref name="payload"/>.</summary>
    public static byte[] Frame(uint declaredLength, ReadOnlySpan<byte> payload)
    {
        var frame = new byte[5 + payload.Length];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(1), declaredLength);
        payload.CopyTo(frame.AsSpan(5));
        return frame;
    }
}
