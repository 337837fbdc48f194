using System.Diagnostics.Metrics;
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

    [Fact]
    public async Task Serving_RulesServedAndStoreWorking_One()
    {
        await using var host = await TestServerHost.StartAsync(TestPaths.Rules);

        Assert.Equal(1L, Assert.Single(await ServingAsync(host)));
    }

    [Fact]
    public async Task Serving_NoRuleSet_Zero()
    {
        await using var host = await TestServerHost.StartAsync(TestPaths.Rules, loadRules: false);

        Assert.Equal(0L, Assert.Single(await ServingAsync(host)));
    }

    [Fact]
    public async Task Serving_StoreFailsThenRecovers_ZeroThenOne()
    {
        using var folder = new TempAuditFolder();
        var store = FailingAuditStorage.Open(folder);
        await using var host = await store.StartHostAsync();
        host.Logs.Expect("SafetyCheck.Audit", "could not be recorded");
        await host.Client.CheckAsync(AuditRequests.Infant("before"));

        store.FailWrites = true;
        await Assert.ThrowsAsync<global::Grpc.Core.RpcException>(() => host.Client.CheckAsync(AuditRequests.Fever("during")).ResponseAsync);
        // A run younger than a few seconds may still say SERVING: the gauge follows the next one.
        var failing = await ServingAsync(host, after: [1L]);
        store.FailWrites = false;
        var recovered = await ServingAsync(host, after: failing);

        Assert.Equal(0L, Assert.Single(failing));
        Assert.Equal(1L, Assert.Single(recovered));
    }

    /// <summary>
    /// <c>safetycheck.serving</c> as first observed with a value (and, when <paramref name="after"/> is given, a value
    /// other than it): the gauge never waits for a run, it reports the last completed one and starts a new run when that
    /// is over 5 s old, so a change shows within a few seconds; polled for up to a minute for a slow machine.
    /// </summary>
    private static async Task<long[]> ServingAsync(TestServerHost host, long[]? after = null)
    {
        var meter = host.Services.GetRequiredService<SafetyCheckMetrics>().Meter;
        var waited = System.Diagnostics.Stopwatch.StartNew();
        long[] seen = [];
        while (waited.Elapsed < TimeSpan.FromSeconds(60))
        {
            seen = Observe(meter);
            if (seen.Length > 0 && (after is null || !seen.SequenceEqual(after)))
            {
                return seen;
            }

            await Task.Delay(50);
        }

        return seen;
    }

    private static long[] Observe(Meter meter)
    {
        var seen = new List<long>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter == meter && instrument.Name == "safetycheck.serving")
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((_, value, _, _) => seen.Add(value));
        listener.Start();
        listener.RecordObservableInstruments();
        return [.. seen];
    }
}
