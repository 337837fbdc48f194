using System.Runtime.CompilerServices;
using SafetyCheck.Audit.Storage;
using SafetyCheck.Core.Rules;

namespace SafetyCheck.Audit.Tests.Support;

/// <summary>
/// A store's summary source that notes what is asked of it: the slices read by position, the questions passed to the
/// store's own queries, and whether two reads ever overlapped; it can be made to fail or pointed at another store.
/// </summary>
internal sealed class WatchedSummarySource(IAuditSummarySource inner) : IAuditSummarySource
{
    private int _reading;

    public IAuditSummarySource Inner { get; set; } = inner;

    /// <summary>When set, every read fails as an unreadable store does.</summary>
    public bool Unavailable { get; set; }

    /// <summary>Every (chain, after, through) read by position, in order.</summary>
    public List<(string Chain, long After, long Through)> Slices { get; } = [];

    /// <summary>Calls answered by the store's own counting queries.</summary>
    public int StoreCounts { get; private set; }

    /// <summary>Called before each decision read by position is handed over.</summary>
    public Action? OnDecision { get; set; }

    /// <summary>True when two reads ran at once.</summary>
    public bool Overlapped { get; private set; }

    public Task<IReadOnlyList<RevisionUse>> ListRevisionUsesAsync(CancellationToken cancellationToken = default)
    {
        StoreCounts++;
        return Inner.ListRevisionUsesAsync(cancellationToken);
    }

    public Task<IReadOnlyList<RulesetIdentity>> ListArchivedRevisionsAsync(CancellationToken cancellationToken = default)
    {
        ThrowIfUnavailable();
        return Inner.ListArchivedRevisionsAsync(cancellationToken);
    }

    public Task<IReadOnlyList<VerdictCount>> CountVerdictsPerDayAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default)
    {
        StoreCounts++;
        return Inner.CountVerdictsPerDayAsync(from, to, cancellationToken);
    }

    public Task<RuleFirings> CountRuleFiringsAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default)
    {
        StoreCounts++;
        return Inner.CountRuleFiringsAsync(from, to, cancellationToken);
    }

    public async Task<IReadOnlyDictionary<string, long>> ReadChainHeadsAsync(CancellationToken cancellationToken = default)
    {
        ThrowIfUnavailable();
        Enter();
        try
        {
            await Task.Yield();
            return await Inner.ReadChainHeadsAsync(cancellationToken);
        }
        finally
        {
            Interlocked.Decrement(ref _reading);
        }
    }

    public async IAsyncEnumerable<DecisionSummary> ReadDecisionSummariesAsync(
        string chainId,
        long afterSequence,
        long throughSequence,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ThrowIfUnavailable();
        Enter();
        try
        {
            lock (Slices)
            {
                Slices.Add((chainId, afterSequence, throughSequence));
            }

            await foreach (var decision in Inner.ReadDecisionSummariesAsync(chainId, afterSequence, throughSequence, cancellationToken))
            {
                await Task.Yield();
                OnDecision?.Invoke();
                cancellationToken.ThrowIfCancellationRequested();
                yield return decision;
            }
        }
        finally
        {
            Interlocked.Decrement(ref _reading);
        }
    }

    private void Enter()
    {
        if (Interlocked.Increment(ref _reading) > 1)
        {
            Overlapped = true;
        }
    }

    private void ThrowIfUnavailable()
    {
        if (Unavailable)
        {
            throw new AuditStoreUnavailableException("the test store is unavailable");
        }
    }
}
