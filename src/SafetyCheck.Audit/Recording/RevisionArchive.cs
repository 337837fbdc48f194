using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using SafetyCheck.Audit.Chain;
using SafetyCheck.Audit.Storage;
using SafetyCheck.Core.Rules;

namespace SafetyCheck.Audit.Recording;

/// <summary>
/// Archives each served rule revision in the audit store once per process, before its first decision is recorded
/// (the writer refuses records of a revision the store has not archived) and before health reports SERVING. Thread-safe.
/// </summary>
public sealed class RevisionArchive(AuditChainWriter writer, ILogger<RevisionArchive> log)
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

    // Not tied to one caller's token: other callers may be waiting for the same archive.
    private async Task ArchiveAsync(RuleSet ruleSet)
    {
        var revision = ruleSet.Identity.Revision;
        try
        {
            await writer.ArchiveRevisionAsync(ruleSet, CancellationToken.None).ConfigureAwait(false);
        }
        catch (AuditStoreUnavailableException ex)
        {
            RecordingLog.ArchiveFailed(log, revision, ex.Message);
            throw;
        }

        RecordingLog.RevisionArchived(log, revision);
    }
}
