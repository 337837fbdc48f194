using Grpc.Core;
using Grpc.Health.V1;
using SafetyCheck.IntegrationTests.Infrastructure;
using SafetyCheck.Protos.V1;

namespace SafetyCheck.IntegrationTests.RuleSets;

public sealed class HealthTests
{
    [Theory]
    [InlineData("")]
    [InlineData("safetycheck.v1.SafetyCheck")]
    public async Task Health_BeforeLoad_IsNotServing_ThenServingAfterLoad(string service)
    {
        await using var host = await TestServerHost.StartAsync(TestPaths.Rules, loadRules: false);

        var before = await host.Health.CheckAsync(new HealthCheckRequest { Service = service });
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.NotServing, before.Status);

        Assert.True(host.Provider.Load(TestPaths.Rules).Succeeded);

        var after = await host.Health.CheckAsync(new HealthCheckRequest { Service = service });
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, after.Status);
    }

    [Fact]
    public async Task Health_ShippedRulesLoadedAtStart_IsServing()
    {
        await using var host = await TestServerHost.StartAsync(TestPaths.Rules);

        var health = await host.Health.CheckAsync(new HealthCheckRequest());

        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, health.Status);
    }

    [Fact]
    public async Task Health_InvalidRuleDirectory_StaysNotServing()
    {
        await using var host = await TestServerHost.StartAsync(TestPaths.EmptyDirectory());
        host.Logs.Expect("SafetyCheck.RuleSets");

        var health = await host.Health.CheckAsync(new HealthCheckRequest());

        Assert.False(host.Provider.LastLoad!.Succeeded);
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.NotServing, health.Status);
    }

    [Fact]
    public async Task Check_NoRuleSetLoaded_IsUnavailable()
    {
        await using var host = await TestServerHost.StartAsync(TestPaths.Rules, loadRules: false);

        var check = await Assert.ThrowsAsync<RpcException>(() => host.Client.CheckAsync(new CheckRequest()).ResponseAsync);
        var ruleset = await Assert.ThrowsAsync<RpcException>(() => host.Client.GetRulesetAsync(new GetRulesetRequest()).ResponseAsync);

        Assert.Equal(StatusCode.Unavailable, check.StatusCode);
        Assert.Equal(StatusCode.Unavailable, ruleset.StatusCode);
    }
}
