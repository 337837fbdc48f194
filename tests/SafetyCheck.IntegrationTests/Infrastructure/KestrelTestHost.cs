using System.Net;
using System.Net.Sockets;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using SafetyCheck.Hosting;
using SafetyCheck.RuleSets;

namespace SafetyCheck.IntegrationTests.Infrastructure;

/// <summary>
/// The real host on a real Kestrel (loopback, a free port unless the arguments configure endpoints), for what the
/// in-memory server cannot show: TLS, client certificates, listen addresses, shutdown. Logs go to a sink that
/// fails the test on an unexpected error when disposed.
/// </summary>
internal sealed class KestrelTestHost : IAsyncDisposable
{
    private KestrelTestHost(WebApplication app, TestLogSink logs)
    {
        App = app;
        Logs = logs;
    }

    public WebApplication App { get; }

    public TestLogSink Logs { get; }

    /// <summary>The first bound address, e.g. <c>http://127.0.0.1:40123</c>.</summary>
    public string Address => App.Urls.First();

    public static async Task<KestrelTestHost> StartAsync(
        string[] args,
        SafetyCheckHostOptions? options = null,
        Action<WebApplicationBuilder>? configure = null,
        bool waitForRules = true)
    {
        var logs = new TestLogSink();
        options ??= new SafetyCheckHostOptions
        {
            RulesDirectory = TestPaths.Rules,
            Urls = args.Any(a => a.StartsWith("--Kestrel:Endpoints:", StringComparison.Ordinal)) ? null : "http://127.0.0.1:0",
        };
        // As in TestServerHost, the rule directory is not watched unless a test asks (a later argument wins).
        string[] arguments = ["--SafetyCheck:Reload:Watch=false", .. args.Any(a => a.Contains("Audit:DatabasePath", StringComparison.Ordinal)) ? args : [TestAudit.NewDatabaseArgument(), .. args]];
        var builder = SafetyCheckHost.CreateBuilder(arguments, options);
        builder.Logging.ClearProviders().AddProvider(logs).SetMinimumLevel(LogLevel.Debug);
        configure?.Invoke(builder);
        var app = SafetyCheckHost.Build(builder);
        await app.StartAsync();
        var host = new KestrelTestHost(app, logs);
        if (waitForRules && options.LoadRulesOnStart)
        {
            var provider = app.Services.GetRequiredService<RuleSetProvider>();
            for (var i = 0; i < 600 && provider.LastLoad is null; i++)
            {
                await Task.Delay(50);
            }

            Assert.True(provider.LastLoad?.Succeeded, "the rule set did not load");
        }

        return host;
    }

    /// <summary>A channel to <see cref="Address"/> sending <paramref name="token"/> as a bearer token (none when null).</summary>
    public GrpcChannel CreateChannel(string? token, HttpMessageHandler? handler = null) =>
        GrpcChannel.ForAddress(Address, new GrpcChannelOptions
        {
            HttpHandler = new BearerTokenHandler(token, handler ?? new SocketsHttpHandler()),
        });

    /// <summary>
    /// A channel to <paramref name="address"/> (default <see cref="Address"/>) whose connections come from the local
    /// address <paramref name="from"/> (e.g. 127.0.0.3), so the server sees another client.
    /// </summary>
    public GrpcChannel CreateChannelFrom(IPAddress from, string? token, string? address = null) =>
        GrpcChannel.ForAddress(address ?? Address, new GrpcChannelOptions
        {
            HttpHandler = new BearerTokenHandler(token, new SocketsHttpHandler
            {
                ConnectCallback = async (context, cancellationToken) =>
                {
                    var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                    try
                    {
                        socket.Bind(new IPEndPoint(from, 0));
                        await socket.ConnectAsync(context.DnsEndPoint, cancellationToken);
                        return new NetworkStream(socket, ownsSocket: true);
                    }
                    catch
                    {
                        socket.Dispose();
                        throw;
                    }
                },
            }),
        });

    /// <summary>A loopback port free at the time of the call, for listeners that need an explicit port.</summary>
    public static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>The end point of the bound address <paramref name="url"/> (default <see cref="Address"/>).</summary>
    public IPEndPoint EndPoint(string? url = null)
    {
        var uri = new Uri(url ?? Address);
        return new IPEndPoint(IPAddress.Parse(uri.Host.Trim('[', ']')), uri.Port);
    }

    public async ValueTask DisposeAsync()
    {
        await App.StopAsync();
        await App.DisposeAsync();
        Logs.AssertNoUnexpectedErrors();
    }
}
