using Microsoft.Extensions.DependencyInjection;
using SafetyCheck.IntegrationTests.Audit;
using SafetyCheck.IntegrationTests.Infrastructure;
using SafetyCheck.IntegrationTests.RuleSets;
using SafetyCheck.RuleSets;
using SafetyCheck.Telemetry;

namespace SafetyCheck.IntegrationTests.Telemetry;

/// <summary>The host's instruments count what happened, exactly: decisions by verdict, rule firings, refusals, reloads.</summary>
public sealed class SafetyCheckMetricsTests
{
    [Fact]
    public async Task Check_SeveralVerdicts_CountedByVerdictRuleAndRefusal()
    {
        await using var host = await TestServerHost.StartAsync(TestPaths.Rules);
        using var counts = new MeterCounts(host.Services.GetRequiredService<SafetyCheckMetrics>().Meter);

        await host.Client.CheckAsync(AuditRequests.Fever("a"));
        await host.Client.CheckAsync(AuditRequests.Fever("b"));
        await host.Client.CheckAsync(AuditRequests.Eczema("c"));
        var invalid = AuditRequests.Infant("d");
        invalid.Patient.BirthDate = "not-a-date";
        await Assert.ThrowsAsync<global::Grpc.Core.RpcException>(() => host.Client.CheckAsync(invalid).ResponseAsync);

        Assert.Equal(2, counts.Of("safetycheck.decisions", "verdict", "NOT_SUITABLE"));
        Assert.Equal(1, counts.Of("safetycheck.decisions", "verdict", "SUITABLE_WITH_PRECAUTIONS"));
        Assert.Equal(2, counts.Of("safetycheck.rule.firings", "rule", "fever"));
        Assert.Equal(1, counts.Of("safetycheck.rule.firings", "rule", "eczema"));
        Assert.Equal(1, counts.Of("safetycheck.calls.rejected", "reason", "INVALID_ARGUMENT"));

        // The refused request is no decision: the decisions counted are the three the trail holds.
        Assert.Equal(3, counts.Total("safetycheck.decisions"));
        Assert.Equal(1, counts.Total("safetycheck.calls.rejected"));
    }

    [Fact]
    public async Task Reload_ServedThenUnchanged_CountedByOutcome()
    {
        using var rules = new ReloadRuleSets();
        await using var host = await TestServerHost.StartAsync(rules.Directory);
        using var counts = new MeterCounts(host.Services.GetRequiredService<SafetyCheckMetrics>().Meter);
        var reloader = host.Services.GetRequiredService<RuleReloader>();

        rules.UseVariant('B');
        await reloader.ReloadAsync(ReloadTrigger.Caller, "test", CancellationToken.None);
        await reloader.ReloadAsync(ReloadTrigger.Caller, "test", CancellationToken.None);

        Assert.Equal(1, counts.Of("safetycheck.ruleset.reloads", "outcome", "served"));
        Assert.Equal(1, counts.Of("safetycheck.ruleset.reloads", "outcome", "unchanged"));
    }
}
