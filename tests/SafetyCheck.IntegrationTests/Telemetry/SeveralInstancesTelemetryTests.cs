using System.Diagnostics.Metrics;
using System.Security.Cryptography;
using Microsoft.Extensions.DependencyInjection;
using SafetyCheck.Audit.PostgreSql.Tests.Support;
using SafetyCheck.Audit.Storage;
using SafetyCheck.IntegrationTests.Audit;
using SafetyCheck.IntegrationTests.Infrastructure;
using SafetyCheck.IntegrationTests.RuleSets;
using SafetyCheck.Protos.V1;
using SafetyCheck.Telemetry;
using SafetyCheckApi = SafetyCheck.Protos.V1.SafetyCheck;

namespace SafetyCheck.IntegrationTests.Telemetry;

/// <summary>
/// Telemetry of one instance among several: the silent-rule alarm takes up this instance's own decisions, never
/// another instance's on a shared store, and <c>safetycheck.ruleset.info</c> names the revision each one serves.
/// </summary>
public sealed class SeveralInstancesTelemetryTests
{
    private static readonly string PseudonymKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    [PostgresFact]
    public async Task SilentRuleAlarm_OnASharedStore_TakesUpOnlyItsOwnChainsDecisions()
    {
        await using var db = await TestPostgres.CreateAsync();
        await using (var nodeB = await TestServerHost.StartAsync(TestPaths.Rules, args: Settings(db.Service, "node-b")))
        {
            foreach (var id in (string[])["b-1", "b-2", "b-3"])
            {
                await nodeB.Client.CheckAsync(AuditRequests.Fever(id));
            }
        }

        // A new instance: none of the store's decisions are its own.
        await using (var nodeA = await TestServerHost.StartAsync(TestPaths.Rules, args: Settings(db.Service, "node-a")))
        {
            var resumed = Assert.Single(nodeA.Logs.Entries, e => e.EventId.Id == 1203);
            Assert.Equal("The silent-rule alarm takes up the last 0 decisions of this instance's audit chain", resumed.Message);
            await nodeA.Client.CheckAsync(AuditRequests.Eczema("a-1"));

            var reader = nodeA.Services.GetRequiredService<IAuditReader>();
            Assert.Single(await SilentRuleResumption.ReadLastAsync(reader, "node-a", 10, CancellationToken.None));
            Assert.Equal(3, (await SilentRuleResumption.ReadLastAsync(reader, "node-b", 10, CancellationToken.None)).Count);
            Assert.Equal(4, (await SilentRuleResumption.ReadLastAsync(reader, null, 10, CancellationToken.None)).Count);
        }

        await using var again = await TestServerHost.StartAsync(TestPaths.Rules, args: Settings(db.Service, "node-a"));
        Assert.Equal(
            "The silent-rule alarm takes up the last 1 decisions of this instance's audit chain",
            Assert.Single(again.Logs.Entries, e => e.EventId.Id == 1203).Message);
    }

    [Fact]
    public async Task RulesetInfo_NamesTheRevisionServed_AndFollowsAReload()
    {
        using var rules = new ReloadRuleSets();
        await using var host = await TestServerHost.StartAsync(rules.Directory);
        var meter = host.Services.GetRequiredService<SafetyCheckMetrics>().Meter;
        var first = host.Provider.Current!.RuleSet.Identity;

        var before = Assert.Single(Observe(meter));
        rules.UseVariant('B');
        var reload = (await new RuleAdmin.RuleAdminClient(host.CreateChannel(TestCredentials.RulesAdminKey)).ReloadRulesAsync(new ReloadRulesRequest())).Reload;
        var after = Assert.Single(Observe(meter));

        Assert.Equal(1, before.Value);
        Assert.Equal((first.Revision, "reload-fixture", "0.0.1"), (before.Tags["revision"], before.Tags["name"], before.Tags["version"]));
        Assert.Equal(ReloadOutcome.ReloadServed, reload.Outcome);
        Assert.Equal((1L, reload.Serving.Revision), (after.Value, after.Tags["revision"]));
        Assert.NotEqual(first.Revision, after.Tags["revision"]);
    }

    [Fact]
    public async Task RulesetInfo_NothingServing_NoSeries()
    {
        await using var host = await TestServerHost.StartAsync(TestPaths.Rules, loadRules: false);

        Assert.Empty(Observe(host.Services.GetRequiredService<SafetyCheckMetrics>().Meter));
    }

    [Fact]
    public async Task NewerRefused_IsOneWhileTheFilesOnDiskWereRefused_AndZeroOnceAReloadServes()
    {
        using var rules = new ReloadRuleSets();
        await using var host = await TestServerHost.StartAsync(rules.Directory);
        host.Logs.Expect("SafetyCheck.RuleSets");
        var meter = host.Services.GetRequiredService<SafetyCheckMetrics>().Meter;
        var admin = new RuleAdmin.RuleAdminClient(host.CreateChannel(TestCredentials.RulesAdminKey));
        var ruleset = new SafetyCheckApi.SafetyCheckClient(host.CreateChannel(TestCredentials.RulesAdminKey));

        var atStart = Assert.Single(Observe(meter, "safetycheck.ruleset.newer_refused"));
        rules.BreakRules();
        var refused = (await admin.ReloadRulesAsync(new ReloadRulesRequest())).Reload;
        var whileRefused = Assert.Single(Observe(meter, "safetycheck.ruleset.newer_refused"));
        var reported = await ruleset.GetRulesetAsync(new GetRulesetRequest());
        rules.UseVariant('B');
        var served = (await admin.ReloadRulesAsync(new ReloadRulesRequest())).Reload;
        var afterServed = Assert.Single(Observe(meter, "safetycheck.ruleset.newer_refused"));

        Assert.Equal(0, atStart.Value);
        Assert.Empty(atStart.Tags);
        Assert.Equal(ReloadOutcome.ReloadRefused, refused.Outcome);
        Assert.True(reported.NewerRevisionRefused);
        Assert.Equal(1, whileRefused.Value);
        Assert.Equal(ReloadOutcome.ReloadServed, served.Outcome);
        Assert.Equal(0, afterServed.Value);
    }

    /// <summary>One collection of <c>safetycheck.ruleset.info</c>: each measurement with its tags.</summary>
    private static List<(long Value, Dictionary<string, string> Tags)> Observe(Meter meter) => Observe(meter, "safetycheck.ruleset.info");

    /// <summary>One collection of the gauge <paramref name="name"/>: each measurement with its tags.</summary>
    private static List<(long Value, Dictionary<string, string> Tags)> Observe(Meter meter, string name)
    {
        var seen = new List<(long, Dictionary<string, string>)>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter == meter && instrument.Name == name)
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((_, value, tags, _) => seen.Add((value, tags.ToArray().ToDictionary(t => t.Key, t => (string)t.Value!))));
        listener.Start();
        listener.RecordObservableInstruments();
        return seen;
    }

    private static string[] Settings(string connectionString, string instance) =>
    [
        "--SafetyCheck:Audit:Provider=PostgreSql",
        $"--SafetyCheck:Audit:ConnectionString={connectionString}",
        $"--SafetyCheck:Audit:InstanceId={instance}",
        $"--SafetyCheck:Audit:PseudonymKey={PseudonymKey}",
    ];
}
