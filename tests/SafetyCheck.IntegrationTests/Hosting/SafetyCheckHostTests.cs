using Grpc.Health.V1;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Logging;
using SafetyCheck.Hosting;
using SafetyCheck.IntegrationTests.Infrastructure;

namespace SafetyCheck.IntegrationTests.Hosting;

public sealed class SafetyCheckHostTests
{
    [Fact]
    public void CreateBuilder_NoAddressConfigured_ListensOnLoopback5080()
    {
        var builder = SafetyCheckHost.CreateBuilder([], new SafetyCheckHostOptions());

        Assert.Equal(SafetyCheckHost.DefaultUrl, builder.WebHost.GetSetting(WebHostDefaults.ServerUrlsKey));
    }

    [Fact]
    public void CreateBuilder_UrlsFlag_Wins()
    {
        var builder = SafetyCheckHost.CreateBuilder(["--urls=http://127.0.0.1:7001"], new SafetyCheckHostOptions { Urls = "http://127.0.0.1:7002" });

        Assert.Equal("http://127.0.0.1:7002", builder.WebHost.GetSetting(WebHostDefaults.ServerUrlsKey));
    }

    [Fact]
    public void CreateBuilder_UrlsFromConfiguration_AreKept()
    {
        var builder = SafetyCheckHost.CreateBuilder(["--urls=http://127.0.0.1:7001"], new SafetyCheckHostOptions());

        Assert.Equal("http://127.0.0.1:7001", builder.WebHost.GetSetting(WebHostDefaults.ServerUrlsKey));
    }

    [Fact]
    public void CreateBuilder_HealthUrls_BoundBesideTheDefaultAddress()
    {
        var builder = SafetyCheckHost.CreateBuilder(["--SafetyCheck:Limits:HealthUrls=http://127.0.0.1:5081"], new SafetyCheckHostOptions());

        Assert.Equal(SafetyCheckHost.DefaultUrl + ";http://127.0.0.1:5081", builder.WebHost.GetSetting(WebHostDefaults.ServerUrlsKey));
    }

    [Fact]
    public void CreateBuilder_HealthUrls_BoundBesideConfiguredUrlsAndPorts()
    {
        var fromUrls = SafetyCheckHost.CreateBuilder(["--urls=http://127.0.0.1:7001", "--SafetyCheck:Limits:HealthUrls=http://127.0.0.1:7002"], new SafetyCheckHostOptions());
        var fromPorts = SafetyCheckHost.CreateBuilder(["--http_ports=7003", "--SafetyCheck:Limits:HealthUrls=http://127.0.0.1:7004"], new SafetyCheckHostOptions());

        Assert.Equal("http://127.0.0.1:7001;http://127.0.0.1:7002", fromUrls.WebHost.GetSetting(WebHostDefaults.ServerUrlsKey));
        Assert.Equal("http://*:7003;http://127.0.0.1:7004", fromPorts.WebHost.GetSetting(WebHostDefaults.ServerUrlsKey));
    }

    [Fact]
    public void CreateBuilder_HealthUrlsWithKestrelEndpoints_AddedAsAnEndpoint()
    {
        var builder = SafetyCheckHost.CreateBuilder(
            ["--Kestrel:Endpoints:Grpc:Url=http://127.0.0.1:7005", "--SafetyCheck:Limits:HealthUrls=http://127.0.0.1:7006"], new SafetyCheckHostOptions());

        Assert.Equal("http://127.0.0.1:7006", builder.Configuration["Kestrel:Endpoints:SafetyCheckHealth0:Url"]);
        Assert.Null(builder.WebHost.GetSetting(WebHostDefaults.ServerUrlsKey));
    }

    [Fact]
    public async Task Kestrel_HealthListenerOffLoopback_NeedsNoCredentials()
    {
        // Only health is served there, and health is open to anyone: the development key still applies on loopback.
        var port = KestrelTestHost.FreeLoopbackPort();
        var directory = Path.Combine(Path.GetTempPath(), "safetycheck-tests", Path.GetRandomFileName(), ".safetycheck");
        await using var host = await KestrelTestHost.StartAsync(
            [$"--SafetyCheck:Limits:HealthUrls=http://0.0.0.0:{port}"],
            new SafetyCheckHostOptions { RulesDirectory = TestPaths.Rules, Urls = "http://127.0.0.1:0", DevelopmentKeyDirectory = directory });
        using var channel = GrpcChannel.ForAddress($"http://127.0.0.1:{port}");

        var health = await new Health.HealthClient(channel).CheckAsync(new HealthCheckRequest());

        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, health.Status);
        Assert.True(File.Exists(Path.Combine(directory, "dev-key")));
    }

    [Fact]
    public void CreateBuilder_ContentRoot_IsTheExecutableFolder_RulesRelativeToCurrentDirectory()
    {
        var options = new SafetyCheckHostOptions { RulesDirectory = "some/rules" };

        var builder = SafetyCheckHost.CreateBuilder([], options);

        Assert.Equal(Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory), Path.TrimEndingDirectorySeparator(builder.Environment.ContentRootPath));
        Assert.Equal(Path.Combine(Environment.CurrentDirectory, "some", "rules"), options.RulesDirectory);
    }

    [Fact]
    public void CreateBuilder_RulesFromConfiguration_UsedWithoutFlag()
    {
        var options = new SafetyCheckHostOptions();

        SafetyCheckHost.CreateBuilder(["--SafetyCheck:Rules=/srv/rules"], options);

        Assert.Equal("/srv/rules", options.RulesDirectory);
    }

    [Fact]
    public async Task Kestrel_CleartextLoopback_SpeaksHttp2Grpc()
    {
        var logs = new TestLogSink();
        var builder = SafetyCheckHost.CreateBuilder([], new SafetyCheckHostOptions { Urls = "http://127.0.0.1:0", LoadRulesOnStart = false });
        builder.Logging.ClearProviders().AddProvider(logs);
        await using var app = SafetyCheckHost.Build(builder);
        await app.StartAsync();
        try
        {
            using var channel = GrpcChannel.ForAddress(app.Urls.Single());
            var health = await new Health.HealthClient(channel).CheckAsync(new HealthCheckRequest());

            Assert.Equal(HealthCheckResponse.Types.ServingStatus.NotServing, health.Status);
        }
        finally
        {
            await app.StopAsync();
        }

        logs.AssertNoUnexpectedErrors();
    }
}
