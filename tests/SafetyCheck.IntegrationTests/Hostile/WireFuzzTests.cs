using System.Net;
using System.Net.Sockets;
using Google.Protobuf;
using Grpc.Core;
using Grpc.Health.V1;
using Microsoft.Extensions.Logging;
using SafetyCheck.IntegrationTests.Infrastructure;
using Xunit.Abstractions;

namespace SafetyCheck.IntegrationTests.Hostile;

/// <summary>
/// The wire-level fuzz run on real Kestrel: mutated and mangled gRPC frames over HTTP/2 sockets, and raw HTTP/2
/// connections carrying damaged prefaces and frames of every type. gRPC answers are a decision, INVALID_ARGUMENT or
/// RESOURCE_EXHAUSTED, never INTERNAL or UNKNOWN; a raw connection ends with the server answering or closing it;
/// health, asked from another address all along, keeps answering SERVING; nothing is logged as an error; memory
/// stays bounded.
/// </summary>
[Collection(RunAlone.Name)]
public sealed class WireFuzzTests(ITestOutputHelper output)
{
    private const int MaxMessage = 16 * 1024;

    private static readonly IPAddress Fuzzer = IPAddress.Parse("127.0.0.2");
    private static readonly IPAddress Prober = IPAddress.Parse("127.0.0.3");

    [Fact]
    public async Task Kestrel_MutatedFramesAndRawHttp2_NeverInternalOrUnknown_HealthKeepsAnswering()
    {
        await using var host = await KestrelTestHost.StartAsync(
        [
            .. TestCredentials.ApiKeyArguments,
            $"--SafetyCheck:Limits:MaxReceiveMessageSize={MaxMessage}",
            "--SafetyCheck:Limits:CallsPerSecondPerCaller=0",
        ]);
        using var http = new HttpClient(new BearerTokenHandler(TestCredentials.AllRolesKey, new SocketsHttpHandler())) { BaseAddress = new Uri(host.Address) };
        using var probe = host.CreateChannelFrom(Prober, token: null);
        host.Logs.Retained = LogLevel.Warning;
        var run = new FuzzRun(output, "Check and raw HTTP/2 on real Kestrel");
        using var stop = new CancellationTokenSource();
        var health = ProbeHealthAsync(run, new Health.HealthClient(probe), stop.Token);

        await run.RunAsync(async random =>
        {
            if (random.Next(5) < 3)
            {
                var (kind, payload) = ProtobufMutator.Mutate(random, Source(random).ToByteArray());
                var answer = await RawGrpcRequest.SendAsync(http, "/safetycheck.v1.SafetyCheck/Check", RawGrpcRequest.Frame((uint)payload.Length, payload));
                var status = answer.AsClientSeesIt;
                run.Record("grpc/" + kind, status, status is StatusCode.OK or StatusCode.InvalidArgument or StatusCode.ResourceExhausted, FuzzRun.Describe(payload));
                return;
            }

            var (connectionKind, bytes) = Http2FrameFuzzer.Connection(random, DamagedFrame, "Bearer " + TestCredentials.AllRolesKey);
            var ended = await SendRawAsync(host.EndPoint(), bytes);
            run.Record("h2/" + connectionKind, ended ? StatusCode.OK : StatusCode.DeadlineExceeded, allowed: ended, FuzzRun.Describe(bytes));
        });

        await stop.CancelAsync();
        await health;
        run.Finish();
        Assert.Contains(run.Keys, k => k.StartsWith("health during the run OK", StringComparison.Ordinal));
    }

    private static Protos.V1.CheckRequest Source(Random random) => random.Next(2) == 0 ? GeneratedRequests.Plausible(random) : GeneratedRequests.Generated(random);

    private static byte[] DamagedFrame(Random random)
    {
        var (_, payload) = ProtobufMutator.Mutate(random, Source(random).ToByteArray());
        return RawGrpcRequest.Frame((uint)payload.Length, payload);
    }

    /// <summary>Health from another address every 200 ms while the run lasts, each within 5 s.</summary>
    private static async Task ProbeHealthAsync(FuzzRun run, Health.HealthClient client, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            StatusCode status;
            try
            {
                var reply = await client.CheckAsync(new HealthCheckRequest(), deadline: TimeProvider.System.GetUtcNow().UtcDateTime.AddSeconds(5), cancellationToken: CancellationToken.None);
                status = reply.Status == HealthCheckResponse.Types.ServingStatus.Serving ? StatusCode.OK : StatusCode.Unavailable;
            }
            catch (RpcException e)
            {
                status = e.StatusCode;
            }

            run.Record("health during the run", status, status == StatusCode.OK);
            try
            {
                await Task.Delay(200, stop);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>Sends the bytes, closes the sending side and reads until the server closes; false when it has not within 5 s.</summary>
    private static async Task<bool> SendRawAsync(IPEndPoint server, byte[] bytes)
    {
        using var socket = new Socket(server.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(Fuzzer, 0));
        await socket.ConnectAsync(server);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        var buffer = new byte[16 * 1024];
        try
        {
            await socket.SendAsync(bytes, SocketFlags.None, timeout.Token);
            socket.Shutdown(SocketShutdown.Send);
            while (await socket.ReceiveAsync(buffer, SocketFlags.None, timeout.Token) > 0)
            {
            }

            return true;
        }
        catch (SocketException)
        {
            // Reset by the server: it ended the connection.
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}
