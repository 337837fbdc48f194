using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SafetyCheck.Check;
using SafetyCheck.Core.Evaluation;
using SafetyCheck.Core.Pipeline;
using SafetyCheck.Core.Rules;
using SafetyCheck.IntegrationTests.Audit;
using SafetyCheck.IntegrationTests.Infrastructure;
using SafetyCheck.Telemetry;

namespace SafetyCheck.IntegrationTests.Telemetry;

/// <summary>A rule that fired regularly on one revision and not once after the revision changed is reported, once.</summary>
public sealed class SilentRuleWatchTests : IAsyncLifetime, IDisposable
{
    private readonly TestLogSink _logs = new();
    private readonly List<(string Rule, string Revision, string Previous)> _silent = [];
    private readonly MeterListener _listener = new();
    private readonly SafetyCheckMetrics _metrics = TestMeterFactory.Metrics();
    private Decided _template = null!;

    public async Task InitializeAsync()
    {
        await using var host = await TestServerHost.StartAsync(TestPaths.Rules);
        var outcome = await host.Services.GetRequiredService<DecisionPipeline>().DecideAsync(ProtoMapper.ToUnvalidated(AuditRequests.Infant()), Caller.Anonymous, CancellationToken.None);
        _template = Assert.IsType<Decided>(outcome);
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter == _metrics.Meter && instrument.Name == "safetycheck.rule.silent")
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((_, _, tags, _) =>
        {
            var t = tags.ToArray().ToDictionary(k => k.Key, k => (string)k.Value!);
            _silent.Add((t["rule"], t["revision"], t["previous_revision"]));
        });
        _listener.Start();
    }

    public Task DisposeAsync() => Task.CompletedTask;

    public void Dispose()
    {
        _listener.Dispose();
        _logs.Dispose();
    }

    [Fact]
    public void Decided_RegularRuleStopsAfterRevisionChange_ReportedOnceWithLogAndMetric()
    {
        var watch = Watch(window: 10, minFirings: 3, newWindow: 5);

        // Revision A: "regular" fires in 5 of 10, "rare" in 1 of 10, "steady" in every one.
        for (var i = 0; i < 10; i++)
        {
            string[] regular = i % 2 == 0 ? ["regular"] : [];
            string[] rare = i == 0 ? ["rare"] : [];
            Decide(watch, "rev-a", fired: [.. regular, .. rare, "steady"]);
        }

        // Revision B: "regular" never fires again; "steady" does; "removed" was in A but B no longer has it.
        for (var i = 0; i < 4; i++)
        {
            Decide(watch, "rev-b", fired: ["steady"]);
        }

        Assert.Empty(_silent);
        Decide(watch, "rev-b", fired: ["steady"]);
        Assert.Equal([("regular", "rev-b", "rev-a")], _silent);
        var line = Assert.Single(_logs.Entries, e => e.Level == LogLevel.Warning);
        Assert.Contains("Rule regular has gone silent on revision rev-b", line.Message, StringComparison.Ordinal);

        // Reported once: more silence on the same revision says nothing more.
        for (var i = 0; i < 20; i++)
        {
            Decide(watch, "rev-b", fired: ["steady"]);
        }

        Assert.Single(_silent);
    }

    [Fact]
    public void Decided_RegularRuleFiresOnceOnTheNewRevision_NotReported()
    {
        var watch = Watch(window: 10, minFirings: 3, newWindow: 5);
        for (var i = 0; i < 10; i++)
        {
            Decide(watch, "rev-a", fired: ["regular"]);
        }

        Decide(watch, "rev-b", fired: []);
        Decide(watch, "rev-b", fired: ["regular"]);
        for (var i = 0; i < 10; i++)
        {
            Decide(watch, "rev-b", fired: []);
        }

        Assert.Empty(_silent);
    }

    [Fact]
    public void Decided_PreviousRevisionWindowNotFull_NothingWatched()
    {
        var watch = Watch(window: 10, minFirings: 3, newWindow: 5);
        for (var i = 0; i < 9; i++)
        {
            Decide(watch, "rev-a", fired: ["regular"]);
        }

        for (var i = 0; i < 10; i++)
        {
            Decide(watch, "rev-b", fired: []);
        }

        Assert.Empty(_silent);
    }

    [Fact]
    public void Decided_LateDecisionOnThePreviousRevision_Ignored()
    {
        var watch = Watch(window: 4, minFirings: 2, newWindow: 3);
        for (var i = 0; i < 4; i++)
        {
            Decide(watch, "rev-a", fired: ["regular"]);
        }

        Decide(watch, "rev-b", fired: []);
        Decide(watch, "rev-a", fired: ["regular"]);
        Decide(watch, "rev-b", fired: []);
        Decide(watch, "rev-b", fired: []);

        Assert.Equal([("regular", "rev-b", "rev-a")], _silent);
    }

    [Fact]
    public void Resume_TrailEndsOnTheOldRevision_RestartOnNewRulesIsWatched()
    {
        var watch = Watch(window: 10, minFirings: 3, newWindow: 5);
        watch.Resume([.. Enumerable.Range(0, 10).Select(i => Trail("rev-a", i % 2 == 0 ? ["regular", "steady"] : ["steady"]))]);

        for (var i = 0; i < 5; i++)
        {
            Decide(watch, "rev-b", fired: ["steady"]);
        }

        Assert.Equal([("regular", "rev-b", "rev-a")], _silent);
    }

    [Fact]
    public void Resume_TrailEndsWithinTheWatch_TheWatchGoesOnWhereItWas()
    {
        var watch = Watch(window: 10, minFirings: 3, newWindow: 5);
        watch.Resume([
            .. Enumerable.Range(0, 10).Select(_ => Trail("rev-a", ["regular"])),
            Trail("rev-b", []),
            Trail("rev-b", []),
        ]);

        Decide(watch, "rev-b", fired: []);
        Decide(watch, "rev-b", fired: []);
        Assert.Empty(_silent);
        Decide(watch, "rev-b", fired: []);

        Assert.Equal([("regular", "rev-b", "rev-a")], _silent);
    }

    [Fact]
    public void Resume_WatchEndedWithinTheTrail_NotReportedAgain()
    {
        var watch = Watch(window: 10, minFirings: 3, newWindow: 5);
        watch.Resume([
            .. Enumerable.Range(0, 10).Select(_ => Trail("rev-a", ["regular"])),
            .. Enumerable.Range(0, 5).Select(_ => Trail("rev-b", [])),
        ]);

        for (var i = 0; i < 20; i++)
        {
            Decide(watch, "rev-b", fired: []);
        }

        Assert.Empty(_silent);
    }

    [Fact]
    public void Resume_AfterTheFirstDecision_Ignored()
    {
        var watch = Watch(window: 10, minFirings: 3, newWindow: 5);
        Decide(watch, "rev-b", fired: []);
        watch.Resume([.. Enumerable.Range(0, 10).Select(_ => Trail("rev-a", ["regular"]))]);

        for (var i = 0; i < 10; i++)
        {
            Decide(watch, "rev-b", fired: []);
        }

        Assert.Empty(_silent);
    }

    [Fact]
    public async Task ReadLastAsync_RecordedTrail_TheNewestDecisionsOldestFirstWithTheirFiredRules()
    {
        await using var host = await TestServerHost.StartAsync(TestPaths.Rules);
        var pipeline = host.Services.GetRequiredService<DecisionPipeline>();
        var made = new List<Decided>();
        foreach (var request in (Protos.V1.CheckRequest[])[AuditRequests.Infant(), AuditRequests.Infant(), AuditRequests.Infant()])
        {
            made.Add(Assert.IsType<Decided>(await pipeline.DecideAsync(ProtoMapper.ToUnvalidated(request), Caller.Anonymous, CancellationToken.None)));
        }

        var read = await SilentRuleResumption.ReadLastAsync(host.Services.GetRequiredService<SafetyCheck.Audit.Storage.IAuditReader>(), null, 2, CancellationToken.None);

        Assert.Equal(2, read.Count);
        var fired = made[^1].Assessment.Trace.Where(o => o.Fired).Select(o => o.RuleId).Order(StringComparer.Ordinal);
        Assert.All(read, d => Assert.Equal(made[^1].Assessment.Ruleset.Revision, d.Revision));
        Assert.Equal(fired, read[^1].FiredRuleIds.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task StartAsync_StoreFailsWithADriverError_WarnsAndTheServiceStartsWithEmptyWindows()
    {
        var options = Options.Create(new TelemetryOptions());
        var watch = new SilentRuleWatch(options, _metrics, new LoggerFactory([_logs]).CreateLogger<SilentRuleWatch>());
        using var services = new ServiceCollection().AddSingleton<SafetyCheck.Audit.Storage.IAuditReader>(new FailingReader()).BuildServiceProvider();
        var resumption = new SilentRuleResumption(watch, options, services, new LoggerFactory([_logs]).CreateLogger<SilentRuleResumption>());

        await resumption.StartAsync(CancellationToken.None);

        var line = Assert.Single(_logs.Entries, e => e.Level == LogLevel.Warning);
        Assert.Contains("starts with empty windows", line.Message, StringComparison.Ordinal);
        Assert.Contains("disk I/O error", line.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0, 1, 1, "Window must be 1 to 100000")]
    [InlineData(10, 11, 1, "MinFirings must be 1 to Window (10)")]
    [InlineData(10, 0, 1, "MinFirings must be 1 to Window (10)")]
    [InlineData(10, 3, 0, "NewRevisionWindow must be 1 to 100000")]
    public void Validate_OutOfRange_NamesTheSetting(int window, int minFirings, int newWindow, string expected)
    {
        var options = new TelemetryOptions { SilentRules = new SilentRuleOptions { Window = window, MinFirings = minFirings, NewRevisionWindow = newWindow } };

        var result = new TelemetryOptionsValidator().Validate(null, options);

        Assert.Contains(result.Failures!, f => f.Contains(expected, StringComparison.Ordinal));
    }

    private SilentRuleWatch Watch(int window, int minFirings, int newWindow) => new(
        Options.Create(new TelemetryOptions { SilentRules = new SilentRuleOptions { Window = window, MinFirings = minFirings, NewRevisionWindow = newWindow } }),
        _metrics,
        new LoggerFactory([_logs]).CreateLogger<SilentRuleWatch>());

    /// <summary>A store whose driver fails every read (a database driver's own exception, not wrapped by the store).</summary>
    private sealed class FailingReader : SafetyCheck.Audit.Storage.IAuditReader
    {
        public Task<SafetyCheck.Audit.Storage.StoredEntry?> GetAsync(string entryId, CancellationToken cancellationToken = default) => throw new DriverException();

        public Task<SafetyCheck.Audit.Storage.EntryPage> ListAsync(SafetyCheck.Audit.Storage.EntryFilter filter, CancellationToken cancellationToken = default) => throw new DriverException();

        public Task<SafetyCheck.Audit.Storage.ArchivedRevision?> GetRevisionAsync(string revision, CancellationToken cancellationToken = default) => throw new DriverException();

        public Task<IReadOnlyList<string>> ListRevisionsAsync(CancellationToken cancellationToken = default) => throw new DriverException();

        public Task<SafetyCheck.Audit.Storage.AuditHead> HeadAsync(CancellationToken cancellationToken = default) => throw new DriverException();

        public IAsyncEnumerable<SafetyCheck.Audit.Storage.StoredEntry> ReadRangeAsync(long fromSequence, int count, CancellationToken cancellationToken = default) =>
            throw new DriverException();
    }

    private sealed class DriverException() : System.Data.Common.DbException("disk I/O error");

    private static TrailDecision Trail(string revision, string[] fired) => new(revision, fired);

    /// <summary>A decision on <paramref name="revision"/> whose rules are regular, rare, steady (and removed, on rev-a only).</summary>
    private void Decide(SilentRuleWatch watch, string revision, string[] fired)
    {
        string[] rules = revision == "rev-a" ? ["regular", "rare", "removed", "steady"] : ["regular", "rare", "steady"];
        var assessment = _template.Assessment with
        {
            Ruleset = new RulesetIdentity("synthetic", "1.0.0", revision),
            Trace = [.. rules.Select(r => new RuleOutcome(r, fired.Contains(r), null))],
        };
        watch.Decided(_template with { Assessment = assessment }, TimeSpan.FromMilliseconds(1));
    }
}
