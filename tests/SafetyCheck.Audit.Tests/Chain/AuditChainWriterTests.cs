using SafetyCheck.Audit.Chain;
using SafetyCheck.Audit.Storage;
using SafetyCheck.Audit.Tests.Support;
using SafetyCheck.Audit.Verification;
using static SafetyCheck.Audit.Tests.Support.AuditTestSupport;

namespace SafetyCheck.Audit.Tests.Chain;

/// <summary>The chain writer over storage primitives held in memory: what it does is the writer's, whatever the store.</summary>
public class AuditChainWriterTests
{
    [Fact]
    public async Task Append_PlacesAndHashesEveryKindIntoOneChain()
    {
        var storage = new MemoryAuditStorage();
        await using var writer = await StartAsync(storage);

        var decision = await writer.AppendAsync(Draft("R50.9"));
        var note = await writer.AppendAsync(new NoteEntry(NewDecisionId(), RecordedAt, "rule set reloaded", DefaultRules.Identity.Revision));
        var next = await writer.AppendAsync(Draft());

        Assert.Equal([1UL, 2UL, 3UL], new[] { decision, note, next }.Select(r => r.Sequence));
        var rows = storage.Rows;
        Assert.Equal([EntryKinds.Decision, NoteEntry.NoteKind, EntryKinds.Decision], rows.Select(r => r.Kind));
        Assert.Null(rows[1].Verdict);
        Assert.Equal(DefaultRules.Identity.Revision, rows[1].Revision);
        Assert.Equal(rows[1].EntryHash, rows[2].PrevHash);
        Assert.All(rows, r => Assert.True(ChainHash.IsIntact(r)));
        var report = await AuditVerifier.VerifyAsync(storage);
        Assert.True(report.IsValid, report.Message);
        Assert.Contains("3 records verify (1 of kinds this build does not read", report.Message);
    }

    [Fact]
    public async Task Append_StoreRefusesADuplicate_ThatCallerFailsAndTheRestIsAppended()
    {
        var storage = new MemoryAuditStorage();
        await using var writer = await StartAsync(storage);
        var first = Draft();
        await writer.AppendAsync(first);

        // Both reach the writer's queue together; the store refuses the batch, the writer appends the new one again.
        var duplicate = writer.AppendAsync(first with { Caller = "someone-else" });
        var other = writer.AppendAsync(Draft("R50.9"));

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => duplicate);
        Assert.Contains(first.DecisionId, error.Message);
        Assert.Equal(2UL, (await other).Sequence);
        Assert.Null(writer.Health.Failure);
        Assert.True((await AuditVerifier.VerifyAsync(storage)).IsValid);
    }

    [Fact]
    public async Task Append_StoreFails_UnavailableAndHealthFailedUntilAProbeCommitsAnOutageEntry()
    {
        var storage = new MemoryAuditStorage();
        await using var writer = await StartAsync(storage, WithOutages);
        var kept = await writer.AppendAsync(Draft());

        storage.FailWrites = true;
        var error = await Assert.ThrowsAsync<AuditStoreUnavailableException>(() => writer.AppendAsync(Draft()));
        var failure = writer.Health.Failure;
        var probeWhileFailing = await writer.ProbeAsync();
        storage.FailWrites = false;
        var probe = await writer.ProbeAsync();
        var next = await writer.AppendAsync(Draft());

        Assert.Contains("disk full (injected)", error.Message);
        Assert.NotNull(failure);
        Assert.False(probeWhileFailing);
        Assert.True(probe);
        Assert.Null(writer.Health.Failure);
        var rows = storage.Rows;
        Assert.Equal([EntryKinds.Decision, EntryKinds.Outage, EntryKinds.Decision], rows.Select(r => r.Kind));
        Assert.Equal(kept.EntryHash, rows[1].PrevHash);
        Assert.Contains("\"failed_writes\":1,", rows[1].RecordJson, StringComparison.Ordinal);
        Assert.Equal(3UL, next.Sequence);
        var report = await AuditVerifier.VerifyAsync(storage);
        Assert.True(report.IsValid, report.Message);
        Assert.Contains("3 records verify; head", report.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Append_AnotherWriterMovedTheHead_FailsThenLinksToWhatIsStored()
    {
        var storage = new MemoryAuditStorage();
        await using var writer = await StartAsync(storage);
        await writer.AppendAsync(Draft());
        var intruder = storage.Rows[0] with { Sequence = 2, EntryId = NewDecisionId(), PrevHash = storage.Rows[0].EntryHash };
        storage.Inject(intruder);

        await Assert.ThrowsAsync<AuditStoreUnavailableException>(() => writer.AppendAsync(Draft()));
        var next = await writer.AppendAsync(Draft());

        Assert.Equal(3UL, next.Sequence);
        Assert.Equal(intruder.EntryHash, storage.Rows[2].PrevHash);
    }

    [Fact]
    public async Task Append_RevisionNotArchived_IsRefusedAndNothingIsStored()
    {
        var storage = new MemoryAuditStorage();
        await using var writer = await AuditChainWriter.StartAsync(storage);

        await Assert.ThrowsAsync<InvalidOperationException>(() => writer.AppendAsync(Draft()));
        await writer.ArchiveRevisionAsync(DefaultRules);
        var receipt = await writer.AppendAsync(Draft());

        Assert.Equal(1UL, receipt.Sequence);
        Assert.Single(storage.Rows);
    }

    [Fact]
    public async Task Archive_FilesThatDoNotHashToTheRevision_AreRefused()
    {
        await using var writer = await AuditChainWriter.StartAsync(new MemoryAuditStorage());
        var tampered = ArchivedRevision.Of(DefaultRules) with { Files = [.. DefaultRules.Files.Skip(1)] };

        await Assert.ThrowsAsync<ArgumentException>(() => writer.ArchiveRevisionAsync(tampered));
    }

    [Fact]
    public async Task Start_TailRecordChanged_IsRefused()
    {
        var storage = new MemoryAuditStorage();
        await using (var writer = await StartAsync(storage))
        {
            await writer.AppendAsync(Draft());
            await writer.AppendAsync(Draft());
        }

        storage.Replace(2, r => r with { RecordJson = r.RecordJson.Replace("\"caller\":\"dev-key\"", "\"caller\":\"other\"", StringComparison.Ordinal) });

        var error = await Assert.ThrowsAsync<AuditStoreUnavailableException>(() => AuditChainWriter.StartAsync(storage));
        Assert.Contains("sequence 2", error.Message);
    }

    [Fact]
    public async Task Append_AfterDispose_IsUnavailableAndMarksHealth()
    {
        var writer = await StartAsync(new MemoryAuditStorage());
        await writer.DisposeAsync();

        await Assert.ThrowsAsync<AuditStoreUnavailableException>(() => writer.AppendAsync(Draft()));
        Assert.NotNull(writer.Health.Failure);
    }

    [Fact]
    public async Task Append_RecordWithNoCanonicalForm_FailsThatCallerOnly()
    {
        var storage = new MemoryAuditStorage();
        await using var writer = await StartAsync(storage);

        await Assert.ThrowsAsync<ArgumentException>(() => writer.AppendAsync(Draft() with { Caller = "bad\ud800caller" }));
        var next = await writer.AppendAsync(Draft());

        Assert.Equal(1UL, next.Sequence);
    }

    [Fact]
    public async Task Append_CallerWhoseContinuationBlocks_HoldsUpNeitherTheWriterNorLaterCommits()
    {
        // A caller's continuation runs where the writer's answer is given. That is never on the writer itself, so a
        // request that is slow to go on cannot stall the commits after its own. The blocked continuation holds a
        // thread-pool thread: the test runs on the pool, with threads to spare, so that the tests running beside it
        // (and the test runner's own few threads) cannot starve the steps it waits for.
        ThreadPool.GetMinThreads(out var workers, out var completionPorts);
        ThreadPool.SetMinThreads(Math.Max(workers, Environment.ProcessorCount + 8), completionPorts);
        try
        {
            await Task.Run(async () =>
            {
                var storage = new MemoryAuditStorage();
                await using var writer = await StartAsync(storage);
                using var release = new ManualResetEventSlim();

                // The store is frozen until the continuation is attached: a write answered before that would run the
                // "synchronous" continuation on this thread, blocking the test itself. Released by the test, not by
                // time: a continuation that gave up by itself would look like one that was never blocked.
                storage.Freeze.Freeze();
                var first = writer.AppendAsync(Draft());
                var blocked = first.ContinueWith(
                    t => release.Wait(TimeSpan.FromSeconds(60)) ? t.Result : throw new TimeoutException("not released"),
                    CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);

                try
                {
                    Assert.False(first.IsCompleted);
                    storage.Freeze.Thaw();

                    // Committed, its caller still busy: the next record goes in a later batch.
                    await WaitUntilAsync(() => storage.Rows.Count == 1);
                    var later = await writer.AppendAsync(Draft("R50.9")).WaitAsync(TimeSpan.FromSeconds(10));

                    Assert.Equal(2UL, later.Sequence);
                    Assert.False(blocked.IsCompleted);
                }
                finally
                {
                    storage.Freeze.Thaw();
                    release.Set();
                }

                Assert.Equal(1UL, (await blocked).Sequence);
            });
        }
        finally
        {
            ThreadPool.SetMinThreads(workers, completionPorts);
        }
    }

    [Fact]
    public async Task Append_ManyCallersAtOnce_EachGetsItsOwnReceiptInChainOrder()
    {
        var storage = new MemoryAuditStorage();
        await using var writer = await StartAsync(storage);
        var drafts = Enumerable.Range(0, 200).Select(_ => Draft()).ToList();

        var receipts = await Task.WhenAll(drafts.Select(d => writer.AppendAsync(d)));

        var rows = storage.Rows.ToDictionary(r => r.EntryId);
        for (var i = 0; i < drafts.Count; i++)
        {
            var row = rows[drafts[i].DecisionId];
            Assert.Equal((ulong)row.Sequence, receipts[i].Sequence);
            Assert.Equal(row.EntryHash, receipts[i].EntryHash);
        }

        Assert.Equal(Enumerable.Range(1, 200).Select(i => (ulong)i), receipts.Select(r => r.Sequence).Order());
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var started = System.Diagnostics.Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(started.Elapsed < TimeSpan.FromSeconds(10), "the condition did not hold within 10 s");
            await Task.Delay(10);
        }
    }

    /// <summary>Writer options that record outages with fresh ids.</summary>
    private static readonly AuditChainWriterOptions WithOutages = new() { OutageEntry = outage => new OutageEntry(NewDecisionId(), outage) };

    private static async Task<AuditChainWriter> StartAsync(MemoryAuditStorage storage, AuditChainWriterOptions? options = null)
    {
        var writer = await AuditChainWriter.StartAsync(storage, options);
        await writer.ArchiveRevisionAsync(DefaultRules);
        return writer;
    }
}
