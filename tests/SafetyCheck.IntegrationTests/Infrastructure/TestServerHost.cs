using Grpc.Health.V1;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using SafetyCheck.Hosting;
using SafetyCheck.RuleSets;
using SafetyCheckApi = SafetyCheck.Protos.V1.SafetyCheck;

namespace SafetyCheck.IntegrationTests.Infrastructure;

/// <summary>
/// The real host (<see cref="SafetyCheckHost"/>) on an in-memory test server, with a fake clock, its own audit
/// database in a temporary folder (deleted on dispose), the <see cref="TestCredentials"/> API keys, and a log sink that
/// fails the test on an unexpected error when disposed. <see cref="Channel"/> and <see cref="Client"/> call with the key
/// that holds every role; tests of access control make their own channels (<see cref="CreateChannel"/>).
/// </summary>
public sealed class TestServerHost : IAsyncDisposable
{
    /// <summary>The fake clock starts here: ages and decision ids are reproducible.</summary>
    public static readonly DateTimeOffset Now = new(2025, 6, 1, 9, 30, 0, TimeSpan.Zero);

    private readonly WebApplication _app;
    private readonly string? _auditDirectory;
    private readonly List<GrpcChannel> _channels = [];

    private TestServerHost(WebApplication app, TestLogSink logs, FakeTimeProvider clock, string? auditDirectory)
    {
        _app = app;
        _auditDirectory = auditDirectory;
        Logs = logs;
        Clock = clock;
        Channel = CreateChannel(TestCredentials.AllRolesKey);
    }

    public TestLogSink Logs { get; }

    public FakeTimeProvider Clock { get; }

    public GrpcChannel Channel { get; }

    public SafetyCheckApi.SafetyCheckClient Client => new(Channel);

    public Health.HealthClient Health => new(Channel);

    internal RuleSetProvider Provider => _app.Services.GetRequiredService<RuleSetProvider>();

    internal IServiceProvider Services => _app.Services;

    /// <summary>
    /// Waits for the audit trail's background verification (<see cref="SafetyCheck.Audit.AuditChainVerification"/>) to finish, its
    /// verified point recorded. A test that moves <see cref="Clock"/> on by more than the commit stall bound must wait
    /// first: the writer times its commits on this clock, so a write still in flight would count as stalled.
    /// </summary>
    public Task SettledAsync() =>
        _app.Services.GetService<SafetyCheck.Audit.AuditChainVerification>()?.FullVerificationDone ?? Task.CompletedTask;

    /// <summary>A channel that sends <paramref name="token"/> as its bearer token (none when null); disposed with the host.</summary>
    public GrpcChannel CreateChannel(string? token)
    {
        var server = _app.GetTestServer();
        var channel = GrpcChannel.ForAddress(server.BaseAddress, new GrpcChannelOptions { HttpHandler = new BearerTokenHandler(token, server.CreateHandler()) });
        _channels.Add(channel);
        return channel;
    }

    /// <summary>A handler that sends requests to the in-memory server, for clients of the auditor's page.</summary>
    public HttpMessageHandler CreateHandler() => _app.GetTestServer().CreateHandler();

    /// <summary>A raw HTTP client on the in-memory server, for frames a gRPC client would never send.</summary>
    public HttpClient CreateHttpClient(string? token = TestCredentials.AllRolesKey) =>
        new(new BearerTokenHandler(token, _app.GetTestServer().CreateHandler())) { BaseAddress = _app.GetTestServer().BaseAddress };

    /// <summary>
    /// Starts a host on <paramref name="rulesDirectory"/>; with <paramref name="waitForRules"/>, returns once it is loaded.
    /// <paramref name="args"/> are configuration arguments added after the <see cref="TestCredentials"/> keys (or
    /// instead of them, without <paramref name="withTestKeys"/>). The audit database is a fresh one in a temporary
    /// folder unless <paramref name="args"/> set <c>--SafetyCheck:Audit:DatabasePath=…</c>;
    /// <paramref name="configureServices"/> runs after the host's registrations.
    /// </summary>
    internal static async Task<TestServerHost> StartAsync(
        string rulesDirectory,
        bool loadRules = true,
        bool waitForRules = true,
        string[]? args = null,
        bool withTestKeys = true,
        Action<WebApplicationBuilder>? configure = null,
        Action<WebApplication>? map = null,
        Action<IServiceCollection>? configureServices = null)
    {
        var logs = new TestLogSink();
        var clock = new FakeTimeProvider(Now);
        var ownsAudit = !(args ?? []).Any(a => a.Contains("Audit:DatabasePath", StringComparison.Ordinal));
        var auditDirectory = ownsAudit ? Path.Combine(Path.GetTempPath(), "safetycheck-tests", "audit-" + Path.GetRandomFileName()) : null;
        string[] arguments =
        [
            .. withTestKeys ? TestCredentials.ApiKeyArguments : [],
            .. ownsAudit ? [$"--SafetyCheck:Audit:DatabasePath={Path.Combine(auditDirectory!, "audit.db")}"] : Array.Empty<string>(),

            // Tests edit rule copies under running hosts; only the hot-reload tests watch (they pass Watch=true).
            "--SafetyCheck:Reload:Watch=false",

            // Tests move the host's clock on by hours: only the running-verification tests verify as the clock moves.
            "--SafetyCheck:Audit:VerifyEveryMinutes=0",
            .. args ?? [],
        ];
        var builder = SafetyCheckHost.CreateBuilder(arguments, new SafetyCheckHostOptions { RulesDirectory = rulesDirectory, LoadRulesOnStart = loadRules });
        builder.WebHost.UseTestServer();
        builder.Logging.ClearProviders().AddProvider(logs).SetMinimumLevel(LogLevel.Debug);
        builder.Services.AddSingleton<TimeProvider>(clock);
        configure?.Invoke(builder);
        configureServices?.Invoke(builder.Services);
        var app = SafetyCheckHost.Build(builder);
        map?.Invoke(app);
        try
        {
            await app.StartAsync();
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }

        var host = new TestServerHost(app, logs, clock, auditDirectory);
        if (loadRules && waitForRules)
        {
            await host.WaitForLoadAsync();
        }

        return host;
    }

    /// <summary>Waits (up to a minute) until the background load has finished, successfully or not.</summary>
    public async Task WaitForLoadAsync()
    {
        for (var i = 0; i < 600 && Provider.LastLoad is null; i++)
        {
            await Task.Delay(100);
        }

        Assert.NotNull(Provider.LastLoad);
    }

    /// <summary>Stops the host as SIGTERM would (disposal stops it too).</summary>
    public Task StopAsync() => _app.StopAsync();

    public async ValueTask DisposeAsync()
    {
        foreach (var channel in _channels)
        {
            channel.Dispose();
        }

        await _app.StopAsync();
        await _app.DisposeAsync();
        if (_auditDirectory is not null)
        {
            try
            {
                Directory.Delete(_auditDirectory, recursive: true);
            }
            catch (IOException)
            {
                // A leftover temporary folder is harmless.
            }
        }

        Logs.AssertNoUnexpectedErrors();
    }
}
