using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Grpc.Core;
using Grpc.Health.V1;
using Grpc.Net.Client;

namespace SafetyCheck.IntegrationTests.Infrastructure;

/// <summary>
/// <c>safetycheck serve</c> as a child process on a free loopback port, with the test API keys and the settings given
/// as environment variables, for what only a real process shows (SIGKILL, several instances at once).
/// </summary>
internal sealed class ServeProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly Task<string> _stderr;

    private ServeProcess(Process process, string address)
    {
        _process = process;
        Address = address;
        _stderr = process.StandardError.ReadToEndAsync();
        _ = process.StandardOutput.ReadToEndAsync();
    }

    public string Address { get; }

    public bool HasExited => _process.HasExited;

    /// <summary>Starts serve and waits until its health says SERVING.</summary>
    public static async Task<ServeProcess> StartAsync(IReadOnlyDictionary<string, string> environment, string workingDirectory)
    {
        var address = string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{FreePort()}");
        var start = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "safetycheck.dll"), "serve", "--rules", TestPaths.Rules, "--urls", address])
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            WorkingDirectory = workingDirectory,
        };
        start.Environment["SafetyCheck__Authentication__ApiKeys__0__Name"] = "load-test";
        start.Environment["SafetyCheck__Authentication__ApiKeys__0__Sha256"] = TestCredentials.Sha256(TestCredentials.ClinicalAppKey);
        start.Environment["SafetyCheck__Authentication__ApiKeys__0__Roles__0"] = "clinical-app";
        start.Environment["SafetyCheck__Limits__CallsPerSecondPerCaller"] = "0";
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        var serve = new ServeProcess(Process.Start(start)!, address);
        using var channel = GrpcChannel.ForAddress(address);
        var health = new Health.HealthClient(channel);
        for (var i = 0; i < 600; i++)
        {
            if (serve.HasExited)
            {
                break;
            }

            try
            {
                if ((await health.CheckAsync(new HealthCheckRequest())).Status == HealthCheckResponse.Types.ServingStatus.Serving)
                {
                    return serve;
                }
            }
            catch (RpcException)
            {
                // Not listening yet.
            }

            await Task.Delay(100);
        }

        await serve.DisposeAsync();
        throw new InvalidOperationException($"serve did not become SERVING:\n{await serve.StandardErrorAsync()}");
    }

    /// <summary>SIGKILL: the process ends at once, with no shutdown of any kind.</summary>
    public async Task KillAsync()
    {
        _process.Kill();
        await _process.WaitForExitAsync();
    }

    public async Task<string> StandardErrorAsync() => _process.HasExited ? await _stderr : "(still running)";

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    private static int FreePort()
    {
        using var socket = new TcpListener(IPAddress.Loopback, 0);
        socket.Start();
        return ((IPEndPoint)socket.LocalEndpoint).Port;
    }
}
