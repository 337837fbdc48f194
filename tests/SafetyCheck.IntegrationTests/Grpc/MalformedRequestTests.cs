using System.Net;
using System.Net.Http.Headers;
using SafetyCheck.IntegrationTests.Infrastructure;

namespace SafetyCheck.IntegrationTests.Grpc;

/// <summary>Bodies grpc-dotnet cannot decode are the caller's error: INVALID_ARGUMENT, never INTERNAL or UNKNOWN.</summary>
public sealed class MalformedRequestTests
{
    private const string CheckPath = "/safetycheck.v1.SafetyCheck/Check";

    public static TheoryData<string, byte[]> UndecodableFrames => new()
    {
        // Field 1 (request_id) claims a length of 2^32-1 bytes: not a valid protobuf message.
        { "malformed protobuf", [0x00, 0x00, 0x00, 0x00, 0x09, 0x0a, 0xff, 0xff, 0xff, 0xff, 0x0f, 0x12, 0x03, 0x41] },

        // The frame header announces 100 bytes; 3 arrive.
        { "truncated frame", [0x00, 0x00, 0x00, 0x00, 0x64, 0x0a, 0x01, 0x41] },

        // Fewer bytes than a frame header.
        { "truncated header", [0x00, 0x00, 0x00] },
    };

    [Theory]
    [MemberData(nameof(UndecodableFrames))]
    public async Task Check_UndecodableBody_AnswersInvalidArgument(string what, byte[] body)
    {
        await using var host = await TestServerHost.StartAsync(TestPaths.EmptyDirectory(), loadRules: false);
        host.Logs.Expect("Grpc.AspNetCore.Server");

        var (httpStatus, grpcStatus, message) = await SendAsync(host, body, "application/grpc");

        Assert.Equal(HttpStatusCode.OK, httpStatus);
        Assert.True(grpcStatus == "3", $"{what}: grpc-status {grpcStatus} ({message})");
        Assert.Contains("could not be decoded", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Check_WrongContentType_AnswersInvalidArgument()
    {
        await using var host = await TestServerHost.StartAsync(TestPaths.EmptyDirectory(), loadRules: false);

        var (httpStatus, grpcStatus, message) = await SendAsync(host, [0x00, 0x00, 0x00, 0x00, 0x00], "text/plain");

        Assert.Equal(HttpStatusCode.OK, httpStatus);
        Assert.Equal("3", grpcStatus);
        Assert.Contains("text/plain", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Check_EmptyMessage_ReachesTheServiceAndIsNotRewritten()
    {
        // A valid empty frame decodes; with no rule set loaded the service itself answers UNAVAILABLE.
        await using var host = await TestServerHost.StartAsync(TestPaths.EmptyDirectory(), loadRules: false);

        var (_, grpcStatus, _) = await SendAsync(host, [0x00, 0x00, 0x00, 0x00, 0x00], "application/grpc");

        Assert.Equal("14", grpcStatus);
    }

    private static async Task<(HttpStatusCode Http, string? GrpcStatus, string Message)> SendAsync(TestServerHost host, byte[] body, string contentType)
    {
        using var client = host.CreateHttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, CheckPath)
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Content = new ByteArrayContent(body),
        };
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        request.Headers.TE.ParseAdd("trailers");
        using var response = await client.SendAsync(request);
        await response.Content.ReadAsByteArrayAsync();

        // A trailers-only response carries the status in the headers; otherwise it is in the trailers.
        static string? Header(HttpResponseMessage r, string name) =>
            r.Headers.TryGetValues(name, out var v) ? v.First()
            : r.TrailingHeaders.TryGetValues(name, out var t) ? t.First()
            : null;

        return (response.StatusCode, Header(response, "grpc-status"), Uri.UnescapeDataString(Header(response, "grpc-message") ?? ""));
    }
}
