using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using Grpc.Core;
using Grpc.Health.V1;
using Grpc.Net.Client;
using Microsoft.Extensions.DependencyInjection;
using SafetyCheck.IntegrationTests.Infrastructure;
using SafetyCheckApi = SafetyCheck.Protos.V1.SafetyCheck;

namespace SafetyCheck.IntegrationTests.Shutdown;

/// <summary>
/// Stopping (what SIGTERM and Ctrl+C do): new calls are refused, calls in flight finish, and only then are the
/// services disposed, so a store that flushes on dispose (the audit trail) holds every answered decision.
/// </summary>
public sealed class GracefulShutdownTests
{
    [Fact]
    public async Task Stop_WithCallsInFlight_FinishesThem_RefusesNewOnes_ThenDisposesServices()
    {
        CallGate? gate = null;
        await using var host = await KestrelTestHost.StartAsync(
            [.. TestCredentials.ApiKeyArguments, "--SafetyCheck:Limits:ShutdownTimeoutSeconds=20"],
            configure: b =>
            {
                gate = CallGate.AddTo(b.Services);
                b.Services.AddSingleton<DisposalProbe>();
            });
        var probe = host.App.Services.GetRequiredService<DisposalProbe>();
        probe.Gate = gate!;
        using var channel = host.CreateChannel(TestCredentials.ClinicalAppKey);
        var client = new SafetyCheckApi.SafetyCheckClient(channel);

        var inFlight = Enumerable.Range(0, 10).Select(i => client.CheckAsync(SampleRequests.Infant($"in-flight-{i}")).ResponseAsync).ToArray();
        await gate!.WaitForAsync(10);
        var stopping = host.App.StopAsync();
        await WaitUntilRefusedAsync(host.Address);
        gate.Open();
        await stopping;
        var answers = await Task.WhenAll(inFlight);
        await host.App.DisposeAsync();

        Assert.Equal(Enumerable.Range(0, 10).Select(i => $"in-flight-{i}"), answers.Select(a => a.RequestId));
        Assert.True(probe.Disposed);
        Assert.Equal(10, probe.AnsweredWhenDisposed);
    }

    [Fact]
    public async Task Serve_Sigterm_UnderLoad_ExitsZero_EveryCallAnsweredOrRefusedNeverBroken()
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        var port = FreePort();
        var address = $"http://127.0.0.1:{port}";
        var start = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "safetycheck.dll"), "serve", "--rules", TestPaths.Rules, "--urls", address])
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            // A directory of its own: the default audit database is relative to it, and another run may hold or upgrade a shared one.
            WorkingDirectory = TestPaths.EmptyDirectory(),
        };
        start.Environment["SafetyCheck__Authentication__ApiKeys__0__Name"] = "load-test";
        start.Environment["SafetyCheck__Authentication__ApiKeys__0__Sha256"] = TestCredentials.Sha256(TestCredentials.ClinicalAppKey);
        start.Environment["SafetyCheck__Authentication__ApiKeys__0__Roles__0"] = "clinical-app";
        using var serve = Process.Start(start)!;
        var stderr = serve.StandardError.ReadToEndAsync();
        try
        {
            await WaitUntilServingAsync(address);
            using var channel = GrpcChannel.ForAddress(address, new GrpcChannelOptions { HttpHandler = new BearerTokenHandler(TestCredentials.ClinicalAppKey, new SocketsHttpHandler()) });
            var client = new SafetyCheckApi.SafetyCheckClient(channel);
            using var stop = new CancellationTokenSource();
            var answers = new StrongBox<int>();
            var loops = Enumerable.Range(0, 8).Select(_ => LoadAsync(client, answers, stop.Token)).ToArray();

            // Enough answers before the signal to mean anything: counted, not timed, as a loaded machine answers slowly.
            for (var i = 0; i < 300 && Volatile.Read(ref answers.Value) <= 8; i++)
            {
                await Task.Delay(100);
            }

            using (var kill = Process.Start("kill", ["-TERM", serve.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
            {
                await kill.WaitForExitAsync();
            }

            await serve.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
            await stop.CancelAsync();
            var results = (await Task.WhenAll(loops)).SelectMany(r => r).ToArray();

            Assert.True(serve.ExitCode == 0, $"exit {serve.ExitCode}\n{await stderr}");
            Assert.Contains("Application is shutting down", await stderr, StringComparison.Ordinal);
            Assert.True(results.Count(r => r.Status == StatusCode.OK) > 8, "the load produced too few answers to mean anything");

            // Whatever the server answered was a decision; the rest found the connection refused or closed (UNAVAILABLE,
            // or INTERNAL made up by the client when a connection closed under a request the server never took).
            Assert.All(results.Where(r => r.FromServer), r => Assert.Equal(StatusCode.OK, r.Status));
            Assert.All(results.Where(r => !r.FromServer), r => Assert.Contains(r.Status, new[] { StatusCode.Unavailable, StatusCode.Internal }));
        }
        finally
        {
            if (!serve.HasExited)
            {
                serve.Kill();
            }
        }
    }

    /// <summary>
    /// Calls Check until a call fails; returns each call's status and whether the server sent it (a status the client
    /// made up for a refused or dropped connection carries the transport exception).
    /// </summary>
    private static async Task<List<(StatusCode Status, bool FromServer)>> LoadAsync(SafetyCheckApi.SafetyCheckClient client, StrongBox<int> answers, CancellationToken stop)
    {
        var statuses = new List<(StatusCode, bool)>();
        while (!stop.IsCancellationRequested && statuses.Count < 100_000)
        {
            try
            {
                // Not cancelled by the test: a call in flight when the signal comes must finish on its own.
                await client.CheckAsync(SampleRequests.Infant(), cancellationToken: CancellationToken.None);
                statuses.Add((StatusCode.OK, true));
                Interlocked.Increment(ref answers.Value);
            }
            catch (RpcException e)
            {
                statuses.Add((e.StatusCode, e.Status.DebugException is null));
                break;
            }
        }

        return statuses;
    }

    private static async Task WaitUntilServingAsync(string address)
    {
        using var channel = GrpcChannel.ForAddress(address);
        var health = new Health.HealthClient(channel);
        for (var i = 0; i < 300; i++)
        {
            try
            {
                if ((await health.CheckAsync(new HealthCheckRequest())).Status == HealthCheckResponse.Types.ServingStatus.Serving)
                {
                    return;
                }
            }
            catch (RpcException)
            {
            }

            await Task.Delay(100);
        }

        Assert.Fail("serve did not report SERVING within 30 seconds");
    }

    /// <summary>Waits until a new connection to <paramref name="address"/> is refused: the server has stopped listening.</summary>
    private static async Task WaitUntilRefusedAsync(string address)
    {
        var uri = new Uri(address);
        for (var i = 0; i < 200; i++)
        {
            using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            try
            {
                await socket.ConnectAsync(IPAddress.Loopback, uri.Port);
            }
            catch (SocketException)
            {
                return;
            }

            await Task.Delay(50);
        }

        Assert.Fail("the server kept accepting connections after stopping began");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Stands for a store that flushes on dispose: records how many calls had been answered by then.</summary>
    private sealed class DisposalProbe : IAsyncDisposable
    {
        public CallGate? Gate { get; set; }

        public bool Disposed { get; private set; }

        public int AnsweredWhenDisposed { get; private set; } = -1;

        public ValueTask DisposeAsync()
        {
            AnsweredWhenDisposed = Gate?.Left ?? -1;
            Disposed = true;
            return ValueTask.CompletedTask;
        }
    }
}
