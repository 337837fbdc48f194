using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using SafetyCheck.Audit.Chain;
using SafetyCheck.Audit.Storage;
using SafetyCheck.Audit.Tests.Support;
using SafetyCheck.Audit.Verification;
using static SafetyCheck.Audit.Tests.Support.AuditTestSupport;

namespace SafetyCheck.Audit.Tests.Chain;

/// <summary>
/// How the writer fails and recovers: health follows real commits, a stalled commit counts as failed and is bounded,
/// outages are recorded, a refused chain is never appended to, closing is bounded, and failures are logged once per
/// interval without stack traces.
/// </summary>
public class AuditChainWriterFailureTests
{
    private static readonly TimeSpan Stall = TimeSpan.FromSeconds(5);

    [Fact]
    public async Task Health_FollowsCommits_FirstFailureAtOnce_FirstGoodCommitClearsIt_AndTheOutageIsRecorded()
    {
        var storage = new MemoryAuditStorage();
        await using var writer = await StartAsync(storage);
        await writer.AppendAsync(Draft());

        storage.FailWrites = true;
        await Assert.ThrowsAsync<AuditStoreUnavailableException>(() => writer.AppendAsync(Draft()));
        var failedAfterOne = writer.Health.Failure;
        await Assert.ThrowsAsync<AuditStoreUnavailableException>(() => writer.AppendAsync(Draft()));
        var failedWrites = writer.Health.FailedWrites;
        storage.FailWrites = false;
        var next = await writer.AppendAsync(Draft("R50.9"));

        Assert.NotNull(failedAfterOne);
        Assert.Equal(2, failedWrites);
        Assert.Null(writer.Health.Failure);
        Assert.Equal(3UL, next.Sequence);
        var outage = storage.Rows[1];
        Assert.Equal(EntryKinds.Outage, outage.Kind);
        Assert.Contains("\"failed_writes\":2,", outage.RecordJson, StringComparison.Ordinal);
        Assert.True((await AuditVerifier.VerifyAsync(storage)).IsValid);
    }

    [Fact]
    public async Task Health_FullDisk_AnArchiveThatWritesNothingDoesNotClearIt()
    {
        var storage = new MemoryAuditStorage();
        await using var writer = await StartAsync(storage);

        storage.FailAppendsOnly = true;
        await Assert.ThrowsAsync<AuditStoreUnavailableException>(() => writer.AppendAsync(Draft()));
        await writer.ArchiveRevisionAsync(DefaultRules);
        var probe = await writer.ProbeAsync();

        Assert.NotNull(writer.Health.Failure);
        Assert.False(probe);
        Assert.Empty(storage.Rows);
    }

    [Fact]
    public async Task Probe_WithoutOutageEntries_CannotClearAFailure()
    {
        var storage = new MemoryAuditStorage();
        await using var writer = await StartAsync(storage, new AuditChainWriterOptions());

        storage.FailWrites = true;
        await Assert.ThrowsAsync<AuditStoreUnavailableException>(() => writer.AppendAsync(Draft()));
        storage.FailWrites = false;

        Assert.False(await writer.ProbeAsync());
        Assert.Equal(1UL, (await writer.AppendAsync(Draft())).Sequence);
        Assert.Null(writer.Health.Failure);
    }

    [Fact]
    public async Task Append_StoreFrozen_UnavailableAtTheBound_LaterAppendsAtOnce_ThawedCommitClearsHealth()
    {
        var clock = new FakeTimeProvider(RecordedAt);
        var storage = new MemoryAuditStorage();
        await using var writer = await StartAsync(storage, Options(clock));
        storage.Freeze.Freeze();

        var stalled = writer.AppendAsync(Draft());
        await WaitUntil(() => storage.Freeze.Blocked == 1);
        var healthBefore = writer.Health.Failure;
        clock.Advance(Stall + TimeSpan.FromSeconds(1));
        var error = await Assert.ThrowsAsync<AuditStoreUnavailableException>(() => stalled);
        var atOnce = await Assert.ThrowsAsync<AuditStoreUnavailableException>(() => writer.AppendAsync(Draft()));
        var stalledNow = writer.CheckForStall();
        var probe = await writer.ProbeAsync();

        storage.Freeze.Thaw();
        await WaitUntil(() => writer.Health.Failure is null);
        var next = await writer.AppendAsync(Draft("R50.9"));

        Assert.Null(healthBefore);
        Assert.Contains("stalled", error.Message, StringComparison.Ordinal);
        Assert.Contains("stalled", atOnce.Message, StringComparison.Ordinal);
        Assert.True(stalledNow);
        Assert.False(probe);

        // The stalled record was committed in the end (its caller was told UNAVAILABLE, never given a verdict); the
        // outage it caused is recorded with the next commit.
        Assert.Equal([EntryKinds.Decision, EntryKinds.Outage, EntryKinds.Decision], storage.Rows.Select(r => r.Kind));
        Assert.Contains("\"failed_writes\":2,", storage.Rows[1].RecordJson, StringComparison.Ordinal);
        Assert.Equal(3UL, next.Sequence);
    }

    [Fact]
    public async Task Close_StoreFrozen_ReturnsAtTheBound_AnsweringEveryWaitingWrite()
    {
        var storage = new MemoryAuditStorage();
        var writer = await StartAsync(storage, Options(TimeProvider.System) with { CommitStallTimeout = TimeSpan.FromMinutes(5) });
        storage.Freeze.Freeze();
        try
        {
            var inFlight = writer.AppendAsync(Draft());
            await WaitUntil(() => storage.Freeze.Blocked == 1);
            var queued = writer.AppendAsync(Draft());

            using var bound = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
            var clean = await writer.CloseAsync(bound.Token);

            Assert.False(clean);
            Assert.Contains("shutting down", (await Assert.ThrowsAsync<AuditStoreUnavailableException>(() => inFlight)).Message, StringComparison.Ordinal);
            Assert.Contains("shutting down", (await Assert.ThrowsAsync<AuditStoreUnavailableException>(() => queued)).Message, StringComparison.Ordinal);
            await writer.DisposeAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(5));
        }
        finally
        {
            storage.Freeze.Thaw();
        }
    }

    [Fact]
    public async Task Append_ClockSetBack_WarnsOnceNamingTheStep_AndTheChainStillVerifies()
    {
        var log = new ListLogger<AuditChainWriter>();
        var storage = new MemoryAuditStorage();
        var writer = await AuditChainWriter.StartAsync(storage, Options(TimeProvider.System), log);
        await using (writer)
        {
            await writer.ArchiveRevisionAsync(DefaultRules);
            var late = RecordedAt.AddHours(2);
            await writer.AppendAsync(Draft(DefaultRules, Request(), recordedAt: late));

            // Concurrent callers' order: seconds back are normal. Two hours back is a clock set back, once.
            await writer.AppendAsync(Draft(DefaultRules, Request(), recordedAt: late.AddSeconds(-30)));
            await writer.AppendAsync(Draft(DefaultRules, Request(), recordedAt: RecordedAt));
            await writer.AppendAsync(Draft(DefaultRules, Request(), recordedAt: RecordedAt.AddSeconds(1)));

            var warning = Assert.Single(log.Entries);
            Assert.Equal(LogLevel.Warning, warning.Level);
            Assert.StartsWith("The clock went back: entry 3 is recorded at ", warning.Message, StringComparison.Ordinal);
            Assert.Contains("7170 s before the entry placed before it", warning.Message, StringComparison.Ordinal);
            Assert.True((await AuditVerifier.VerifyAsync(storage)).IsValid);
        }
    }

    [Fact]
    public async Task Append_AfterClose_RefusedWithoutLoggingAStoreFailure()
    {
        var log = new ListLogger<AuditChainWriter>();
        var storage = new MemoryAuditStorage();
        var writer = await AuditChainWriter.StartAsync(storage, Options(TimeProvider.System), log);
        await writer.ArchiveRevisionAsync(DefaultRules);
        await writer.AppendAsync(Draft());
        Assert.True(await writer.CloseAsync());

        var error = await Assert.ThrowsAsync<AuditStoreUnavailableException>(() => writer.AppendAsync(Draft()));

        Assert.Contains("closed", error.Message, StringComparison.Ordinal);
        Assert.NotNull(writer.Health.Failure);
        Assert.Empty(log.Entries);
        Assert.Single(storage.Rows);
        await writer.DisposeAsync();
    }

    [Fact]
    public async Task Refuse_NothingMoreIsAppended_AndHealthStaysFailed()
    {
        var storage = new MemoryAuditStorage();
        await using var writer = await StartAsync(storage);
        await writer.AppendAsync(Draft());

        writer.Refuse("sequence 1: the record does not hash to its entry_hash");
        var error = await Assert.ThrowsAsync<AuditStoreUnavailableException>(() => writer.AppendAsync(Draft()));

        Assert.Contains("refused", error.Message, StringComparison.Ordinal);
        Assert.False(await writer.ProbeAsync());
        Assert.Equal("sequence 1: the record does not hash to its entry_hash", writer.Health.Refusal);
        Assert.Single(storage.Rows);
    }

    [Fact]
    public async Task Refuse_WhileAnAppendWaitsBehindAWrite_ItIsNeverWritten()
    {
        var storage = new MemoryAuditStorage();
        await using var writer = await StartAsync(storage);
        await writer.AppendAsync(Draft());
        storage.Freeze.Freeze();
        var inTheStore = writer.AppendAsync(Draft());
        await WaitUntil(() => storage.Freeze.Blocked == 1);
        var queued = writer.AppendAsync(Draft());

        // A verification finds the chain damaged while one record is in the store's write and another waits for the next.
        writer.Refuse("sequence 1: the record does not hash to its entry_hash");
        storage.Freeze.Thaw();
        await Record.ExceptionAsync(() => inTheStore);
        var error = await Assert.ThrowsAsync<AuditStoreUnavailableException>(() => queued);

        // Both callers were answered at the refusal; closing waits until the writer has gone through its queue.
        Assert.True(await writer.CloseAsync());
        Assert.Contains("refused", error.Message, StringComparison.Ordinal);
        Assert.Equal(2, storage.Rows.Count);
    }

    [Fact]
    public async Task Refuse_AnAppendAfterIt_FailsAtOnceWithoutReachingTheStore()
    {
        var storage = new MemoryAuditStorage();
        await using var writer = await StartAsync(storage);
        await writer.AppendAsync(Draft());
        writer.Refuse("sequence 1: the record does not hash to its entry_hash");
        storage.Freeze.Freeze();

        // Refused before it is queued: with the store's writes frozen, a queued append would wait instead.
        var append = writer.AppendAsync(Draft());

        Assert.True(append.IsFaulted);
        Assert.Equal(0, storage.Freeze.Blocked);
        storage.Freeze.Thaw();
        await Assert.ThrowsAsync<AuditStoreUnavailableException>(() => append);
    }

    [Fact]
    public async Task Failures_AreLoggedOncePerIntervalWithACount_NeverWithAStackTrace()
    {
        var clock = new FakeTimeProvider(RecordedAt);
        var log = new ListLogger<AuditChainWriter>();
        var storage = new MemoryAuditStorage();
        await using var writer = await AuditChainWriter.StartAsync(storage, Options(clock) with { FailureLogInterval = TimeSpan.FromSeconds(10) }, log);
        await writer.ArchiveRevisionAsync(DefaultRules);

        storage.FailWrites = true;
        for (var i = 0; i < 50; i++)
        {
            await Assert.ThrowsAsync<AuditStoreUnavailableException>(() => writer.AppendAsync(Draft()));
        }

        clock.Advance(TimeSpan.FromSeconds(11));
        await Assert.ThrowsAsync<AuditStoreUnavailableException>(() => writer.AppendAsync(Draft()));
        storage.FailWrites = false;
        await writer.AppendAsync(Draft());

        var lines = log.Entries;
        Assert.Equal(3, lines.Count);
        Assert.All(lines, l => Assert.Null(l.Exception));
        Assert.Equal(LogLevel.Error, lines[0].Level);
        Assert.StartsWith("Audit records could not be recorded: the audit record could not be committed: disk full (injected)", lines[0].Message, StringComparison.Ordinal);
        Assert.StartsWith("Audit records could not be recorded: 50 more writes failed in the last 10 s", lines[1].Message, StringComparison.Ordinal);
        Assert.StartsWith("The audit writer accepts records again, after 51 failed writes", lines[2].Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Failures_AStoreThatFlaps_IsLoggedOncePerInterval()
    {
        var clock = new FakeTimeProvider(RecordedAt);
        var log = new ListLogger<AuditChainWriter>();
        var storage = new MemoryAuditStorage();
        await using var writer = await AuditChainWriter.StartAsync(storage, Options(clock) with { FailureLogInterval = TimeSpan.FromSeconds(10) }, log);
        await writer.ArchiveRevisionAsync(DefaultRules);

        for (var i = 0; i < 20; i++)
        {
            storage.FailWrites = true;
            await Assert.ThrowsAsync<AuditStoreUnavailableException>(() => writer.AppendAsync(Draft()));
            storage.FailWrites = false;
            await writer.AppendAsync(Draft());
            clock.Advance(TimeSpan.FromMilliseconds(100));
        }

        Assert.Equal(["Audit records could not be recorded", "The audit writer accepts records again"], log.Entries.Select(e => e.Message[..e.Message.IndexOfAny([':', ','])]));
    }

    [Fact]
    public async Task Liveness_AWriteSucceededWithinTheInterval_NoRoundTrip()
    {
        var clock = new FakeTimeProvider(RecordedAt);
        var storage = new MemoryAuditStorage();
        await using var writer = await StartAsync(storage, Options(clock));
        await writer.AppendAsync(Draft());

        clock.Advance(TimeSpan.FromSeconds(1.9));
        var alive = await writer.CheckLivenessAsync();

        Assert.True(alive);
        Assert.Equal(0, storage.LivenessChecks);
    }

    [Fact]
    public async Task Liveness_Idle_OneRoundTripPerInterval_WritingNothing()
    {
        var clock = new FakeTimeProvider(RecordedAt);
        var storage = new MemoryAuditStorage();
        await using var writer = await StartAsync(storage, Options(clock));
        await writer.AppendAsync(Draft());
        var appends = storage.Appends;

        clock.Advance(TimeSpan.FromSeconds(2));
        var first = await writer.CheckLivenessAsync();
        var again = await writer.CheckLivenessAsync();
        clock.Advance(TimeSpan.FromSeconds(2));
        var later = await writer.CheckLivenessAsync();

        Assert.Equal((true, true, true), (first, again, later));
        Assert.Equal(2, storage.LivenessChecks);
        Assert.Equal(appends, storage.Appends);
        Assert.Single(storage.Rows);
        Assert.Null(writer.Health.Failure);
    }

    [Fact]
    public async Task Liveness_ConcurrentCallers_ShareOneRoundTrip()
    {
        var clock = new FakeTimeProvider(RecordedAt);
        var storage = new MemoryAuditStorage();
        await using var writer = await StartAsync(storage, Options(clock));
        clock.Advance(TimeSpan.FromSeconds(3));
        storage.Freeze.Freeze();
        Task<bool>[] callers;
        try
        {
            callers = [.. Enumerable.Range(0, 8).Select(_ => writer.CheckLivenessAsync())];
            await WaitUntil(() => storage.Freeze.Blocked == 1);
        }
        finally
        {
            storage.Freeze.Thaw();
        }

        Assert.All(await Task.WhenAll(callers), Assert.True);
        Assert.Equal(1, storage.LivenessChecks);
    }

    [Fact]
    public async Task JoinOrStart_SecondCallerWhileTheFirstIsStartingItsRun_JoinsIt_StartsNoRunOfItsOwn()
    {
        Task<bool>? slot = null;
        var starts = 0;
        using var entered = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();
        var run = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        Task<bool> Start()
        {
            Interlocked.Increment(ref starts);
            entered.Set();
            release.Wait(TimeSpan.FromSeconds(10));
            return run.Task;
        }

        // The first caller is inside start() (queuing its write) when the second arrives.
        var first = Task.Factory.StartNew(
            () => AuditChainWriter.JoinOrStart(ref slot, Start, CancellationToken.None),
            CancellationToken.None,
            TaskCreationOptions.LongRunning,
            TaskScheduler.Default).Unwrap();
        Assert.True(entered.Wait(TimeSpan.FromSeconds(10)));
        var second = AuditChainWriter.JoinOrStart(ref slot, Start, CancellationToken.None);
        release.Set();
        run.SetResult(true);

        Assert.Equal((true, true), (await first, await second));
        Assert.Equal(1, starts);
    }

    [Fact]
    public async Task Liveness_IdleStoreStopsAnswering_HealthFailsWithoutAnAppend_ThenTheProbesOutageEntryEndsIt()
    {
        var clock = new FakeTimeProvider(RecordedAt);
        var log = new ListLogger<AuditChainWriter>();
        var storage = new MemoryAuditStorage();
        await using var writer = await AuditChainWriter.StartAsync(storage, Options(clock), log);
        await writer.ArchiveRevisionAsync(DefaultRules);
        await writer.AppendAsync(Draft());
        var appends = storage.Appends;

        // The database server stops: its connection is gone, and so are writes.
        storage.FailLiveness = true;
        storage.FailWrites = true;
        clock.Advance(TimeSpan.FromSeconds(3));
        var alive = await writer.CheckLivenessAsync();
        var failure = writer.Health.Failure;
        var appendsWhileIdle = storage.Appends;
        var probeWhileDown = await writer.ProbeAsync();
        var livenessWhileFailed = await writer.CheckLivenessAsync();
        var checksWhileFailed = storage.LivenessChecks;

        storage.FailLiveness = false;
        storage.FailWrites = false;
        clock.Advance(TimeSpan.FromSeconds(4));
        var probeAfter = await writer.ProbeAsync();
        var next = await writer.AppendAsync(Draft("R50.9"));

        Assert.False(alive);
        Assert.Equal(
            "the audit store does not answer (checked while idle): the connection was lost (injected)",
            failure?.Message);
        Assert.Equal(appends, appendsWhileIdle);
        Assert.False(probeWhileDown);
        Assert.False(livenessWhileFailed);
        Assert.Equal(1, checksWhileFailed);
        Assert.True(probeAfter);
        Assert.Null(writer.Health.Failure);

        // The outage is recorded by the probe's commit: since the failed round trip, no decision refused.
        Assert.Equal([EntryKinds.Decision, EntryKinds.Outage, EntryKinds.Decision], storage.Rows.Select(r => r.Kind));
        Assert.Contains("\"failed_writes\":0,", storage.Rows[1].RecordJson, StringComparison.Ordinal);
        Assert.Equal(3UL, next.Sequence);
        Assert.True((await AuditVerifier.VerifyAsync(storage)).IsValid);
        Assert.StartsWith(
            "Audit records could not be recorded: the audit store does not answer (checked while idle): the connection was lost (injected)",
            log.Entries[0].Message,
            StringComparison.Ordinal);
        Assert.StartsWith("The audit writer accepts records again, after 0 failed writes in 4 s", log.Entries[^1].Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Liveness_RoundTripFailsButWritesWork_TheNextProbeCommitsAndClearsIt()
    {
        var clock = new FakeTimeProvider(RecordedAt);
        var storage = new MemoryAuditStorage();
        await using var writer = await StartAsync(storage, Options(clock));

        storage.FailLiveness = true;
        clock.Advance(TimeSpan.FromSeconds(3));
        var alive = await writer.CheckLivenessAsync();
        var failed = writer.Health.Failure is not null;
        var probe = await writer.ProbeAsync();

        Assert.False(alive);
        Assert.True(failed);
        Assert.True(probe);
        Assert.Null(writer.Health.Failure);
        Assert.Equal([EntryKinds.Outage], storage.Rows.Select(r => r.Kind));
    }

    private static AuditChainWriterOptions Options(TimeProvider clock) => new()
    {
        TimeProvider = clock,
        CommitStallTimeout = Stall,
        OutageEntry = outage => new OutageEntry(NewDecisionId(), outage),
    };

    private static async Task<AuditChainWriter> StartAsync(MemoryAuditStorage storage, AuditChainWriterOptions? options = null)
    {
        var writer = await AuditChainWriter.StartAsync(storage, options ?? Options(TimeProvider.System));
        await writer.ArchiveRevisionAsync(DefaultRules);
        return writer;
    }

    private static async Task WaitUntil(Func<bool> condition)
    {
        for (var i = 0; i < 500 && !condition(); i++)
        {
            await Task.Delay(10);
        }

        Assert.True(condition());
    }
}
