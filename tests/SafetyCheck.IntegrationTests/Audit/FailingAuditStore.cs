using SafetyCheck.Core.Audit;
using SafetyCheck.Core.Rules;

namespace SafetyCheck.IntegrationTests.Audit;

/// <summary>
/// A real SQLite store whose writes can be made to fail, as a full disk or a stopped writer would (everything runs as
/// root here, so permissions cannot make a database unwritable).
/// </summary>
public sealed class FailingAuditStore(IAuditStore inner) : IAuditStore
{
    private volatile bool _failWrites;
    private int _failedAppends;

    /// <summary>When set, appends and archives throw <see cref="AuditStoreUnavailableException"/>.</summary>
    public bool FailWrites
    {
        get => _failWrites;
        set => _failWrites = value;
    }

    public int FailedAppends => Volatile.Read(ref _failedAppends);

    public Task<AuditReceipt> AppendAsync(DecisionRecordDraft draft, CancellationToken cancellationToken = default)
    {
        if (_failWrites)
        {
            Interlocked.Increment(ref _failedAppends);
            throw new AuditStoreUnavailableException("the audit record could not be committed: disk full (injected)");
        }

        return inner.AppendAsync(draft, cancellationToken);
    }

    public Task ArchiveRevisionAsync(RuleSet ruleSet, CancellationToken cancellationToken = default) =>
        _failWrites
            ? Task.FromException(new AuditStoreUnavailableException("the audit writer stopped (injected)"))
            : inner.ArchiveRevisionAsync(ruleSet, cancellationToken);

    public Task<StoredDecision?> GetAsync(string decisionId, CancellationToken cancellationToken = default) => inner.GetAsync(decisionId, cancellationToken);

    public Task<DecisionPage> ListAsync(DecisionFilter filter, CancellationToken cancellationToken = default) => inner.ListAsync(filter, cancellationToken);

    public IAsyncEnumerable<StoredDecision> ReadRangeAsync(long fromSequence, int count, CancellationToken cancellationToken = default) =>
        inner.ReadRangeAsync(fromSequence, count, cancellationToken);

    public Task<IReadOnlyList<RuleSetFile>?> GetRevisionFilesAsync(string revision, CancellationToken cancellationToken = default) =>
        inner.GetRevisionFilesAsync(revision, cancellationToken);

    public Task<AuditHead> HeadAsync(CancellationToken cancellationToken = default) => inner.HeadAsync(cancellationToken);

    public ValueTask DisposeAsync() => inner.DisposeAsync();
}
