using System.Data.Common;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using SafetyCheck.Audit.Records;
using SafetyCheck.Audit.Replay;
using SafetyCheck.Audit.Storage;
using SafetyCheck.AuditPage;
using SafetyCheck.Core.Rules;
using SafetyCheck.IntegrationTests.Infrastructure;

namespace SafetyCheck.IntegrationTests.AuditPage;

/// <summary>The pages' counts made in advance: a store that cannot be read is logged, and never stops the service.</summary>
public sealed class SummaryWarmUpTests : IDisposable
{
    private readonly TestLogSink _logs = new();

    public void Dispose() => _logs.Dispose();

    [Fact]
    public async Task Execute_StoreDriverFails_WarnsAndEndsWithoutStoppingTheHost()
    {
        var store = new FailingStore();
        using var data = new AuditPageData(store, new SingleChainSet(store), new DecisionReplayer(store), new RulesetIdentities(store));
        using var warmUp = new SummaryWarmUp(data, new StartedLifetime(), new LoggerFactory([_logs]).CreateLogger<SummaryWarmUp>());

        await warmUp.StartAsync(CancellationToken.None);
        await warmUp.ExecuteTask!.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.True(warmUp.ExecuteTask.IsCompletedSuccessfully);
        var line = Assert.Single(_logs.Entries, e => e.Level == LogLevel.Warning);
        Assert.Contains("Could not count the audit trail", line.Message, StringComparison.Ordinal);
    }

    private sealed class StartedLifetime : IHostApplicationLifetime
    {
        public CancellationToken ApplicationStarted => new(canceled: true);

        public CancellationToken ApplicationStopping => CancellationToken.None;

        public CancellationToken ApplicationStopped => CancellationToken.None;

        public void StopApplication() => throw new InvalidOperationException("the warm-up must not stop the service");
    }

    /// <summary>A store whose database driver fails every read with its own exception.</summary>
    private sealed class FailingStore : IAuditReader, IAuditSummarySource
    {
        public Task<StoredEntry?> GetAsync(string entryId, CancellationToken cancellationToken = default) => throw new DriverException();

        public Task<EntryPage> ListAsync(EntryFilter filter, CancellationToken cancellationToken = default) => throw new DriverException();

        public Task<ArchivedRevision?> GetRevisionAsync(string revision, CancellationToken cancellationToken = default) => throw new DriverException();

        public Task<IReadOnlyList<string>> ListRevisionsAsync(CancellationToken cancellationToken = default) => throw new DriverException();

        public Task<AuditHead> HeadAsync(CancellationToken cancellationToken = default) => throw new DriverException();

        public IAsyncEnumerable<StoredEntry> ReadRangeAsync(long fromSequence, int count, CancellationToken cancellationToken = default) => throw new DriverException();

        public Task<IReadOnlyList<RevisionUse>> ListRevisionUsesAsync(CancellationToken cancellationToken = default) => throw new DriverException();

        public Task<IReadOnlyList<RulesetIdentity>> ListArchivedRevisionsAsync(CancellationToken cancellationToken = default) => throw new DriverException();

        public Task<IReadOnlyList<VerdictCount>> CountVerdictsPerDayAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default) =>
            throw new DriverException();

        public Task<RuleFirings> CountRuleFiringsAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default) => throw new DriverException();

        public Task<IReadOnlyDictionary<string, long>> ReadChainHeadsAsync(CancellationToken cancellationToken = default) => throw new DriverException();

        public IAsyncEnumerable<DecisionSummary> ReadDecisionSummariesAsync(string chainId, long afterSequence, long throughSequence, CancellationToken cancellationToken = default) =>
            throw new DriverException();
    }

    private sealed class DriverException() : DbException("database is locked");
}
