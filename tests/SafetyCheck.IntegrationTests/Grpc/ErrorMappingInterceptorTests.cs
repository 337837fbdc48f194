using Grpc.Core;
using Microsoft.Extensions.Logging;
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
    public async Task UnaryServerHandler_RpcException_PassesThroughUnlogged()
    {
        var context = new FakeServerCallContext(CancellationToken.None);

        var error = await Assert.ThrowsAsync<RpcException>(() => Interceptor().UnaryServerHandler<string, string>("x", context,
            (_, _) => throw new RpcException(new Status(StatusCode.InvalidArgument, "bad"))));

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        _logs.AssertNoUnexpectedErrors();
    }

    public void Dispose() => _logs.Dispose();

    private ErrorMappingInterceptor Interceptor() =>
        new(new LoggerFactory([_logs]).CreateLogger<ErrorMappingInterceptor>());
}
