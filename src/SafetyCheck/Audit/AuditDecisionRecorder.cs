using SafetyCheck.Core.Audit;
using SafetyCheck.Core.Evaluation;
using SafetyCheck.Core.Rules;

namespace SafetyCheck.Audit;

/// <summary>
/// The service's recorder: archives the revision when needed, appends the decision record (pseudonymised, derived facts
/// only) and waits for its commit. A failure is logged, marks the writer failed (health NOT_SERVING) and is rethrown
/// as <see cref="AuditStoreUnavailableException"/>, so the caller gets UNAVAILABLE and no verdict.
/// </summary>
internal sealed class AuditDecisionRecorder(
    IAuditStore store,
    Pseudonymiser pseudonymiser,
    RevisionArchive archive,
    AuditWriterHealth writer,
    ILogger<AuditDecisionRecorder> log) : IDecisionRecorder
{
    public async Task<AuditReceipt?> RecordAsync(
        RuleSet ruleSet,
        Assessment assessment,
        string decisionId,
        string? caller,
        DateTimeOffset recordedAt,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(ruleSet);
        var draft = DecisionRecordFactory.Create(assessment, decisionId, CallerIdentity.ForRecord(caller), recordedAt, pseudonymiser);
        AuditReceipt receipt;
        try
        {
            await archive.EnsureArchivedAsync(ruleSet, cancellationToken).ConfigureAwait(false);
            receipt = await store.AppendAsync(draft, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is AuditStoreUnavailableException or ObjectDisposedException)
        {
            writer.Failed(ex);
            AuditLog.NotRecorded(log, ex, decisionId);
            throw ex as AuditStoreUnavailableException ?? new AuditStoreUnavailableException("the audit store is closed", ex);
        }

        writer.Succeeded();
        AuditLog.Recorded(log, decisionId, receipt.Sequence, receipt.EntryHash);
        return receipt;
    }
}
