using SafetyCheck.Audit.Sqlite;
using SafetyCheck.Audit.Storage;
using SafetyCheck.Audit.Summaries;
using SafetyCheck.Audit.Tests.Support;
using SafetyCheck.Core.Rules;
using static SafetyCheck.Audit.Tests.Support.AuditTestSupport;

namespace SafetyCheck.Audit.Tests.Summaries;

public class SummaryCacheTests
{
    private static readonly DateOnly FirstDay = new(2026, 3, 1);
    private static readonly Lazy<RuleSet> Second = new(() => Load(FeverRule, InfoRule));
    private static readonly string[][] Codes = [[], ["R50.9"], ["L20.9"], ["R50.9", "L20.9"]];

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public async Task Answers_RandomTrailWithAppendsBetweenCalls_EqualTheStoresOwn(int seed)
    {
        using var dir = new TempAuditDirectory();
        await using var trail = await OpenTrailAsync(dir.DatabasePath);
        var source = new WatchedSummarySource(trail.Storage);
        using var cache = new SummaryCache(source);
        var random = new Random(seed);

        await AssertSameAsync(cache, trail.Storage);
        for (var round = 0; round < 4; round++)
        {
            await AppendRandomAsync(trail, random, 15 + random.Next(20));
            await AssertSameAsync(cache, trail.Storage);
        }

        Assert.Equal((await trail.Storage.ListRevisionUsesAsync()).Sum(r => r.Decisions), cache.Decisions);
        Assert.False(source.Overlapped);
        Assert.Equal(0, source.StoreCounts);
    }

    [Fact]
    public async Task Refresh_AfterTheFirst_ReadsOnlyWhatWasAppended()
    {
        using var dir = new TempAuditDirectory();
        await using var trail = await OpenTrailAsync(dir.DatabasePath);
        var source = new WatchedSummarySource(trail.Storage);
        using var cache = new SummaryCache(source);
        var decisions = await AppendRandomAsync(trail, new Random(7), 12);

        await cache.ListRevisionUsesAsync();
        var head = (await trail.HeadAsync()).Size;
        await cache.ListRevisionUsesAsync();
        decisions += await AppendRandomAsync(trail, new Random(8), 3);
        await cache.CountVerdictsPerDayAsync(At(FirstDay), At(FirstDay.AddDays(9)));

        Assert.Equal([("", 0L, head), ("", head, head + 3)], source.Slices);
        Assert.Equal(decisions, cache.Decisions);
    }

    [Fact]
    public async Task Refresh_LargeGap_ReadsInSlices()
    {
        using var dir = new TempAuditDirectory();
        await using var trail = await OpenTrailAsync(dir.DatabasePath);
        var source = new WatchedSummarySource(new SlicedHead(trail.Storage, SummaryCache.SliceSize * 2 + 5));
        using var cache = new SummaryCache(source);
        var decisions = await AppendRandomAsync(trail, new Random(9), 4);

        await cache.RefreshAsync();

        Assert.Equal(
            [("", 0L, (long)SummaryCache.SliceSize), ("", SummaryCache.SliceSize, SummaryCache.SliceSize * 2L), ("", SummaryCache.SliceSize * 2L, SummaryCache.SliceSize * 2L + 5)],
            source.Slices);
        Assert.Equal(decisions, cache.Decisions);
    }

    [Fact]
    public async Task Counts_DecisionsEitherSideOfMidnight_FallOnTheirOwnDays()
    {
        using var dir = new TempAuditDirectory();
        await using var trail = await OpenTrailAsync(dir.DatabasePath);
        using var cache = new SummaryCache(trail.Storage);
        var midnight = At(FirstDay.AddDays(1));
        await trail.AppendAsync(Draft(DefaultRules, Request("R50.9"), recordedAt: midnight.AddTicks(-1)));
        await trail.AppendAsync(Draft(DefaultRules, Request("L20.9"), recordedAt: midnight));
        await trail.AppendAsync(Draft(DefaultRules, Request(), recordedAt: midnight.AddDays(1).AddTicks(-1)));

        var days = await cache.CountVerdictsPerDayAsync(At(FirstDay), At(FirstDay.AddDays(3)));
        var secondDay = await cache.CountRuleFiringsAsync(midnight, midnight.AddDays(1));

        Assert.Equal([FirstDay, FirstDay.AddDays(1), FirstDay.AddDays(1)], days.Select(d => d.Day));
        Assert.Equal(days, await trail.Storage.CountVerdictsPerDayAsync(At(FirstDay), At(FirstDay.AddDays(3))));
        Assert.Equal(2, secondDay.DecisionsPerRevision[DefaultRules.Identity.Revision]);
        Assert.DoesNotContain(secondDay.Counts, c => c.RuleId == "fever");
        await AssertSameAsync(cache, trail.Storage);
    }

    [Fact]
    public async Task Counts_PeriodOfPartDays_IsAskedOfTheStore()
    {
        using var dir = new TempAuditDirectory();
        await using var trail = await OpenTrailAsync(dir.DatabasePath);
        var source = new WatchedSummarySource(trail.Storage);
        using var cache = new SummaryCache(source);
        await AppendRandomAsync(trail, new Random(11), 20);
        var from = At(FirstDay).AddHours(13);
        var to = At(FirstDay.AddDays(3)).AddMinutes(7);

        var verdicts = await cache.CountVerdictsPerDayAsync(from, to);
        var firings = await cache.CountRuleFiringsAsync(At(FirstDay), to);

        Assert.Equal(2, source.StoreCounts);
        Assert.Empty(source.Slices);
        Assert.Equal(await trail.Storage.CountVerdictsPerDayAsync(from, to), verdicts);
        Assert.Equal((await trail.Storage.CountRuleFiringsAsync(At(FirstDay), to)).Counts, firings.Counts);
    }

    [Fact]
    public async Task Counts_PeriodGivenInAnotherOffset_IsWholeDaysWhenItsUtcIs()
    {
        using var dir = new TempAuditDirectory();
        await using var trail = await OpenTrailAsync(dir.DatabasePath);
        var source = new WatchedSummarySource(trail.Storage);
        using var cache = new SummaryCache(source);
        await AppendRandomAsync(trail, new Random(12), 10);
        var from = At(FirstDay).ToOffset(TimeSpan.FromHours(2));

        var verdicts = await cache.CountVerdictsPerDayAsync(from, from.AddDays(4));

        Assert.Equal(0, source.StoreCounts);
        Assert.Equal(await trail.Storage.CountVerdictsPerDayAsync(from, from.AddDays(4)), verdicts);
    }

    [Fact]
    public async Task Counts_StoreUnavailable_FailsAndLaterCountsEverythingOnce()
    {
        using var dir = new TempAuditDirectory();
        await using var trail = await OpenTrailAsync(dir.DatabasePath);
        var source = new WatchedSummarySource(trail.Storage);
        using var cache = new SummaryCache(source);
        var decisions = await AppendRandomAsync(trail, new Random(13), 10);
        await cache.RefreshAsync();
        decisions += await AppendRandomAsync(trail, new Random(14), 5);
        source.Unavailable = true;

        await Assert.ThrowsAsync<AuditStoreUnavailableException>(() => cache.ListRevisionUsesAsync());
        await Assert.ThrowsAsync<AuditStoreUnavailableException>(() => cache.CountVerdictsPerDayAsync(At(FirstDay), At(FirstDay.AddDays(9))));
        source.Unavailable = false;

        await AssertSameAsync(cache, trail.Storage);
        Assert.Equal(decisions, cache.Decisions);
    }

    [Fact]
    public async Task Counts_CancelledWhileCounting_KeepsWhatItCountedAndFinishesLater()
    {
        using var dir = new TempAuditDirectory();
        await using var trail = await OpenTrailAsync(dir.DatabasePath);
        var source = new WatchedSummarySource(trail.Storage);
        using var cache = new SummaryCache(source);
        var decisions = await AppendRandomAsync(trail, new Random(15), 10);
        using var cancel = new CancellationTokenSource();
        var handed = 0;
        source.OnDecision = () =>
        {
            if (++handed == 5)
            {
                cancel.Cancel();
            }
        };

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cache.RefreshAsync(cancel.Token));
        Assert.Equal(4, cache.Decisions);
        source.OnDecision = null;

        await AssertSameAsync(cache, trail.Storage);
        Assert.Equal(decisions, cache.Decisions);
    }

    [Fact]
    public async Task Counts_ConcurrentCallsWhileAppending_CountOneAtATimeAndEndEqual()
    {
        using var dir = new TempAuditDirectory();
        await using var trail = await OpenTrailAsync(dir.DatabasePath);
        var source = new WatchedSummarySource(trail.Storage);
        using var cache = new SummaryCache(source);
        var decisions = await AppendRandomAsync(trail, new Random(16), 10);

        var readers = Enumerable.Range(0, 8).Select(i => Task.Run(async () =>
        {
            for (var call = 0; call < 5; call++)
            {
                _ = i % 2 == 0
                    ? (object)await cache.ListRevisionUsesAsync()
                    : await cache.CountRuleFiringsAsync(At(FirstDay), At(FirstDay.AddDays(9)));
            }
        })).ToList();
        decisions += await AppendRandomAsync(trail, new Random(17), 10);
        await Task.WhenAll(readers);

        Assert.False(source.Overlapped);
        await AssertSameAsync(cache, trail.Storage);
        Assert.Equal(decisions, cache.Decisions);
        var slices = source.Slices.OrderBy(s => s.After).ToList();
        Assert.All(slices.Zip(slices.Skip(1)), pair => Assert.Equal(pair.First.Through, pair.Second.After));
    }

    [Fact]
    public async Task Counts_StoreReplacedByAShorterOne_CountsItAgain()
    {
        using var bigger = new TempAuditDirectory();
        using var smaller = new TempAuditDirectory();
        await using var first = await OpenTrailAsync(bigger.DatabasePath);
        await using var second = await OpenTrailAsync(smaller.DatabasePath);
        await AppendRandomAsync(first, new Random(18), 12);
        var decisions = await AppendRandomAsync(second, new Random(19), 5);
        var source = new WatchedSummarySource(first.Storage);
        using var cache = new SummaryCache(source);
        await cache.RefreshAsync();

        source.Inner = second.Storage;

        await AssertSameAsync(cache, second.Storage);
        Assert.Equal(decisions, cache.Decisions);
    }

    /// <summary>A trail with both revisions archived, and one that never decides.</summary>
    private static async Task<TestTrail> OpenTrailAsync(string path)
    {
        var trail = await OpenAsync(path);
        await trail.ArchiveRevisionAsync(Second.Value);
        await trail.Storage.ArchiveRevisionAsync(new ArchivedRevision(new RulesetIdentity("unused", "0.0.1", new string('0', 64)), []));
        return trail;
    }

    private static DateTimeOffset At(DateOnly day) => new(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);

    /// <summary>Decisions on both revisions, over six days in no particular order (midnights and last ticks included), and a few notes; returns the decisions appended.</summary>
    private static async Task<int> AppendRandomAsync(TestTrail trail, Random random, int count)
    {
        var decisions = 0;
        for (var i = 0; i < count; i++)
        {
            var day = At(FirstDay.AddDays(random.Next(6)));
            var at = random.Next(8) switch
            {
                0 => day,
                1 => day.AddDays(1).AddTicks(-1),
                _ => day.AddSeconds(random.Next(86_400)).AddTicks(random.Next(10_000_000)),
            };
            var rules = random.Next(3) == 0 ? Second.Value : DefaultRules;
            if (random.Next(10) == 0)
            {
                await trail.AppendAsync(new NoteEntry(NewDecisionId(), at, "a note", rules.Identity.Revision));
                continue;
            }

            await trail.AppendAsync(Draft(rules, Request(Codes[random.Next(Codes.Length)]), recordedAt: at));
            decisions++;
        }

        return decisions;
    }

    /// <summary>Every answer of <paramref name="cache"/> equals the store's own, over every whole-day period around the trail.</summary>
    private static async Task AssertSameAsync(SummaryCache cache, SqliteAuditStorage store)
    {
        Assert.Equal(await store.ListRevisionUsesAsync(), await cache.ListRevisionUsesAsync());
        for (var start = -1; start <= 7; start++)
        {
            for (var end = start; end <= 8; end++)
            {
                var (from, to) = (At(FirstDay.AddDays(start)), At(FirstDay.AddDays(end)));
                Assert.Equal(await store.CountVerdictsPerDayAsync(from, to), await cache.CountVerdictsPerDayAsync(from, to));
                var expected = await store.CountRuleFiringsAsync(from, to);
                var actual = await cache.CountRuleFiringsAsync(from, to);
                Assert.Equal(expected.Counts, actual.Counts);
                Assert.Equal(expected.DecisionsPerRevision.OrderBy(d => d.Key, StringComparer.Ordinal), actual.DecisionsPerRevision.OrderBy(d => d.Key, StringComparer.Ordinal));
            }
        }
    }

    /// <summary>A store whose head is said to be <paramref name="head"/>, as a trail that large would be.</summary>
    private sealed class SlicedHead(IAuditSummarySource inner, long head) : IAuditSummarySource
    {
        public Task<IReadOnlyDictionary<string, long>> ReadChainHeadsAsync(CancellationToken cancellationToken = default) =>
            Task.FromResult<IReadOnlyDictionary<string, long>>(new Dictionary<string, long> { [""] = head });

        public IAsyncEnumerable<DecisionSummary> ReadDecisionSummariesAsync(string chainId, long afterSequence, long throughSequence, CancellationToken cancellationToken = default) =>
            inner.ReadDecisionSummariesAsync(chainId, afterSequence, throughSequence, cancellationToken);

        public Task<IReadOnlyList<RevisionUse>> ListRevisionUsesAsync(CancellationToken cancellationToken = default) => inner.ListRevisionUsesAsync(cancellationToken);

        public Task<IReadOnlyList<RulesetIdentity>> ListArchivedRevisionsAsync(CancellationToken cancellationToken = default) => inner.ListArchivedRevisionsAsync(cancellationToken);

        public Task<IReadOnlyList<VerdictCount>> CountVerdictsPerDayAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default) =>
            inner.CountVerdictsPerDayAsync(from, to, cancellationToken);

        public Task<RuleFirings> CountRuleFiringsAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default) =>
            inner.CountRuleFiringsAsync(from, to, cancellationToken);
    }
}
