using System.Net;
using Grpc.Core;
using Microsoft.Extensions.Logging;
using SafetyCheck.IntegrationTests.Infrastructure;

namespace SafetyCheck.IntegrationTests.Grpc;

/// <summary>
/// Bodies grpc-dotnet cannot decode are the caller's error: INVALID_ARGUMENT (RESOURCE_EXHAUSTED for a frame declaring
/// more than the limit, whatever its size), never INTERNAL or UNKNOWN, and logged as one line without a stack trace.
/// </summary>
public sealed class MalformedRequestTests
{
    /// <summary>The start's note that the test host's pseudonym key is a file beside its database (warning 325): not about the call.</summary>
    private const int KeyFileNote = 325;

    private const string CheckPath = "/safetycheck.v1.SafetyCheck/Check";

    public static TheoryData<string, byte[]> UndecodableFrames => new()
    {
        // Field 1 (request_id) claims a length of 2^32-1 bytes: not a valid protobuf message.
        { "malformed protobuf", [0x00, 0x00, 0x00, 0x00, 0x09, 0x0a, 0xff, 0xff, 0xff, 0xff, 0x0f, 0x12, 0x03, 0x41] },

        // The frame header announces 100 bytes; 3 arrive.
        { "truncated frame", [0x00, 0x00, 0x00, 0x00, 0x64, 0x0a, 0x01, 0x41] },

        // Fewer bytes than a frame header.
        { "truncated header", [0x00, 0x00, 0x00] },

        // A compression flag that is neither 0 nor 1.
        { "bad compression flag", [0x07, 0x00, 0x00, 0x00, 0x00] },
    };

    [Theory]
    [MemberData(nameof(UndecodableFrames))]
    public async Task Check_UndecodableBody_AnswersInvalidArgument(string what, byte[] body)
    {
        await using var host = await TestServerHost.StartAsync(TestPaths.EmptyDirectory(), loadRules: false);

        var answer = await SendAsync(host, body);

        Assert.Equal(HttpStatusCode.OK, answer.Http);
        Assert.True(answer.Grpc == StatusCode.InvalidArgument, $"{what}: grpc-status {answer.Grpc} ({answer.Message})");
        Assert.Contains("could not be decoded", answer.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Check_MalformedBodyFromAnAuthenticatedCaller_LogsOneInformationLineWithoutException()
    {
        await using var host = await TestServerHost.StartAsync(TestPaths.EmptyDirectory(), loadRules: false);

        await SendAsync(host, [0x00, 0x00, 0x00, 0x00, 0x09, 0x0a, 0xff, 0xff, 0xff, 0xff, 0x0f, 0x12, 0x03, 0x41]);

        var line = Assert.Single(host.Logs.Entries, e => e.EventId.Id == 203);
        Assert.Equal(LogLevel.Information, line.Level);
        Assert.Contains("INVALID_ARGUMENT", line.Message, StringComparison.Ordinal);
        Assert.Null(line.Exception);
        Assert.DoesNotContain(host.Logs.Entries, e => e.Exception is not null || (e.Level >= LogLevel.Warning && e.EventId.Id != KeyFileNote));
    }

    [Theory]
    [InlineData(262_145u)]
    [InlineData(0x7FFF_FFFFu)]
    [InlineData(0x8000_0000u)]
    [InlineData(0x8000_0001u)]
    [InlineData(0xFFFF_FFFFu)]
    public async Task Check_FrameDeclaringMoreThanTheLimit_ResourceExhaustedWhateverItsSize(uint declared)
    {
        await using var host = await TestServerHost.StartAsync(TestPaths.EmptyDirectory(), loadRules: false);

        var answer = await SendAsync(host, RawGrpcRequest.Frame(declared, [0x0a, 0x01, 0x41]));

        Assert.Equal(HttpStatusCode.OK, answer.Http);
        Assert.True(answer.Grpc == StatusCode.ResourceExhausted, $"{declared}: grpc-status {answer.Grpc} ({answer.Message})");
        var line = Assert.Single(host.Logs.Entries, e => e.EventId.Id == 204);
        Assert.Null(line.Exception);
        Assert.DoesNotContain(host.Logs.Entries, e => e.Exception is not null || (e.Level >= LogLevel.Warning && e.EventId.Id != KeyFileNote));
    }

    [Fact]
    public async Task Check_WrongContentType_AnswersInvalidArgument()
    {
        await using var host = await TestServerHost.StartAsync(TestPaths.EmptyDirectory(), loadRules: false);

        var answer = await SendAsync(host, [0x00, 0x00, 0x00, 0x00, 0x00], "text/plain");

        Assert.Equal(HttpStatusCode.OK, answer.Http);
        Assert.Equal(StatusCode.InvalidArgument, answer.Grpc);
        Assert.Contains("text/plain", answer.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Check_EmptyMessage_ReachesTheServiceAndIsNotRewritten()
    {
        // A valid empty frame decodes; with no rule set loaded the service itself answers UNAVAILABLE.
        await using var host = await TestServerHost.StartAsync(TestPaths.EmptyDirectory(), loadRules: false);

        var answer = await SendAsync(host, [0x00, 0x00, 0x00, 0x00, 0x00]);

        Assert.Equal(StatusCode.Unavailable, answer.Grpc);
    }

    private static async Task<RawGrpcRequest.Answer> SendAsync(TestServerHost host, byte[] body, string contentType = "application/grpc")
    {
        using var client = host.CreateHttpClient();
        return await RawGrpcRequest.SendAsync(client, CheckPath, body, contentType);
    }
}
