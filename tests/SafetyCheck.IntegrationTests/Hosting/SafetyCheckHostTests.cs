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
