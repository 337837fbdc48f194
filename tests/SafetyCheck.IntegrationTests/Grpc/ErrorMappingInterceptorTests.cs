using Grpc.Core;
using Microsoft.Extensions.Logging;
using SafetyCheck.Core.Domain;
using SafetyCheck.Core.Validation;
using SafetyCheck.Grpc;
using SafetyCheck.IntegrationTests.Infrastructure;

namespace SafetyCheck.IntegrationTests.Grpc;

public sealed class ErrorMappingInterceptorTests : IDisposable
{
    private readonly TestLogSink _logs = new();

    [Fact]
    public async Task UnaryServerHandler_CancelledBetweenRules_AnswersCancelled()
    {
        using var cts = new CancellationTokenSource();
        var context = new FakeServerCallContext(cts.Token);

        var error = await Assert.ThrowsAsync<RpcException>(() => Interceptor().UnaryServerHandler<string, string>("x", context, (_, c) =>
        {
            cts.Cancel();
            c.CancellationToken.ThrowIfCancellationRequested();
            return Task.FromResult("never");
        }));

        Assert.Equal(StatusCode.Cancelled, error.StatusCode);
        _logs.AssertNoUnexpectedErrors();
    }

    [Fact]
    public async Task UnaryServerHandler_UnexpectedException_LogsAndAnswersInternalWithoutDetail()
    {
        var context = new FakeServerCallContext(CancellationToken.None);

        var error = await Assert.ThrowsAsync<RpcException>(() => Interceptor().UnaryServerHandler<string, string>("x", context,
            (_, _) => throw new InvalidOperationException("secret detail")));

        Assert.Equal(StatusCode.Internal, error.StatusCode);
        Assert.DoesNotContain("secret", error.Status.Detail, StringComparison.Ordinal);
        var logged = Assert.Single(_logs.Entries, e => e.Level == LogLevel.Error);
        Assert.IsType<InvalidOperationException>(logged.Exception);
    }

    [Fact]
    public async Task UnaryServerHandler_RpcException_PassesThroughLoggedAsOneLineWithoutException()
    {
        var context = new FakeServerCallContext(CancellationToken.None);

        var error = await Assert.ThrowsAsync<RpcException>(() => Interceptor().UnaryServerHandler<string, string>("x", context,
            (_, _) => throw new RpcException(new Status(StatusCode.InvalidArgument, "bad\nline"))));

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        var logged = Assert.Single(_logs.Entries);
        Assert.Equal(LogLevel.Information, logged.Level);
        Assert.Null(logged.Exception);
        Assert.StartsWith("Answered INVALID_ARGUMENT to ", logged.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', logged.Message);
        _logs.AssertNoUnexpectedErrors();
    }

    [Fact]
    public async Task UnaryServerHandler_RequestThePipelineRejected_LoggedAtDebugOnly()
    {
        // The pipeline logs the rejection (102, the fields at fault); the front end does not log it again at Information.
        var context = new FakeServerCallContext(CancellationToken.None);

        var error = await Assert.ThrowsAsync<RpcException>(() => Interceptor().UnaryServerHandler<string, string>("x", context,
            (_, _) => throw RpcErrors.Rejected([new FieldViolation("patient.birth_date", "is required")])));

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.DoesNotContain(_logs.Entries, e => e.Level >= LogLevel.Information);
        _logs.AssertNoUnexpectedErrors();
    }

    [Theory]
    [InlineData(StatusCode.InvalidArgument, "INVALID_ARGUMENT")]
    [InlineData(StatusCode.DeadlineExceeded, "DEADLINE_EXCEEDED")]
    [InlineData(StatusCode.NotFound, "NOT_FOUND")]
    [InlineData(StatusCode.Unavailable, "UNAVAILABLE")]
    [InlineData(StatusCode.OK, "OK")]
    public void StatusNamesInLogs_AsGrpcNamesThem(StatusCode code, string expected) =>
        Assert.Equal(expected, EnumNames.Of(code));

    [Fact]
    public async Task DuplexStreamingServerHandler_UndecodableMessage_InvalidArgument()
    {
        var context = new FakeServerCallContext(CancellationToken.None);

        var error = await Assert.ThrowsAsync<RpcException>(() => Interceptor().DuplexStreamingServerHandler<string, string>(
            new ThrowingStreamReader(), null!, context, async (requests, _, _) => await requests.MoveNext(CancellationToken.None)));

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        _logs.AssertNoUnexpectedErrors();
    }

    [Fact]
    public async Task DuplexStreamingServerHandler_StreamReadAfterTheCallEnded_CancelledNotAnUnexpectedError()
    {
        // A reflection stream whose caller went away (or a server stopping) while the service read it: grpc-dotnet
        // throws "Can't read messages after the request is complete", which was logged as an unexpected error.
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();
        var context = new FakeServerCallContext(cts.Token);

        var error = await Assert.ThrowsAsync<RpcException>(() => Interceptor().DuplexStreamingServerHandler<string, string>(
            new CompletedStreamReader(), null!, context, async (requests, _, _) => await requests.MoveNext(CancellationToken.None)));

        Assert.Equal(StatusCode.Cancelled, error.StatusCode);
        _logs.AssertNoUnexpectedErrors();
    }

    [Fact]
    public async Task ServerStreamingServerHandler_UnexpectedException_LogsAndAnswersInternal()
    {
        var context = new FakeServerCallContext(CancellationToken.None);

        var error = await Assert.ThrowsAsync<RpcException>(() => Interceptor().ServerStreamingServerHandler<string, string>(
            "x", null!, context, (_, _, _) => throw new InvalidOperationException("secret detail")));

        Assert.Equal(StatusCode.Internal, error.StatusCode);
        Assert.IsType<InvalidOperationException>(Assert.Single(_logs.Entries, e => e.Level == LogLevel.Error).Exception);
    }

    public void Dispose() => _logs.Dispose();

    private ErrorMappingInterceptor Interceptor() =>
        new(new LoggerFactory([_logs]).CreateLogger<ErrorMappingInterceptor>(), TestMeterFactory.Metrics());

    /// <summary>A request stream read after its call ended, as grpc-dotnet reports it.</summary>
    private sealed class CompletedStreamReader : IAsyncStreamReader<string>
    {
        public string Current => "";

        public Task<bool> MoveNext(CancellationToken cancellationToken) => throw new InvalidOperationException("Can't read messages after the request is complete.");
    }

    /// <summary>A request stream whose next message cannot be decoded, as grpc-dotnet reports it.</summary>
    private sealed class ThrowingStreamReader : IAsyncStreamReader<string>
    {
        public string Current => "";

        public Task<bool> MoveNext(CancellationToken cancellationToken) => throw new InvalidDataException("Unexpected compressed flag value in message header.");
    }
}
