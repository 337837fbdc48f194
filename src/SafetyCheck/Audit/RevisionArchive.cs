using System.Collections.Concurrent;
using SafetyCheck.Core.Audit;
using SafetyCheck.Core.Rules;

namespace SafetyCheck.Audit;

/// <summary>
/// Archives each served rule revision in the audit store once per process, before its first decision is recorded
/// (the store refuses records of a revision it has not archived) and before health reports SERVING. Thread-safe.
/// </summary>
internal sealed class RevisionArchive(IAuditStore store, AuditWriterHealth writer, ILogger<RevisionArchive> log)
{
    private readonly ConcurrentDictionary<string, Lazy<Task>> _revisions = new(StringComparer.Ordinal);

    /// <summary>True once <paramref name="revision"/> is known to be archived.</summary>
    public bool IsArchived(string revision) =>
        _revisions.TryGetValue(revision, out var archive) && archive.IsValueCreated && archive.Value.IsCompletedSuccessfully;

    /// <summary>Archives <paramref name="ruleSet"/> unless this process already did; concurrent callers share one write.</summary>
    /// <exception cref="AuditStoreUnavailableException">The archive could not be made durable (the next call tries again).</exception>
    public async Task EnsureArchivedAsync(RuleSet ruleSet, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(ruleSet);
        var revision = ruleSet.Identity.Revision;
        var archive = _revisions.GetOrAdd(revision, _ => new Lazy<Task>(() => ArchiveAsync(ruleSet)));
        try
        {
            await archive.Value.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (AuditStoreUnavailableException)
        {
            _revisions.TryRemove(KeyValuePair.Create(revision, archive));
            throw;
        }
    }

    /// <summary>
    /// One write transaction through the store's writer (archiving an archived revision changes nothing): true when
    /// the store accepts writes. Used by the health check after a failure.
    /// </summary>
    public async Task<bool> ProbeAsync(RuleSet ruleSet, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(ruleSet);
        try
        {
            await store.ArchiveRevisionAsync(ruleSet, cancellationToken).ConfigureAwait(false);
            writer.Succeeded();
            return true;
        }
        catch (Exception ex) when (ex is AuditStoreUnavailableException or ObjectDisposedException)
        {
            writer.Failed(ex);
            return false;
        }
    }

    // Not tied to one caller's token: other callers may be waiting for the same archive.
    private async Task ArchiveAsync(RuleSet ruleSet)
    {
        var revision = ruleSet.Identity.Revision;
        try
        {
            await store.ArchiveRevisionAsync(ruleSet, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is AuditStoreUnavailableException or ObjectDisposedException)
        {
            writer.Failed(ex);
            AuditLog.ArchiveFailed(log, ex, revision);
            throw ex as AuditStoreUnavailableException ?? new AuditStoreUnavailableException("the audit store is closed", ex);
        }

        writer.Succeeded();
        AuditLog.RevisionArchived(log, revision);
    }
}
