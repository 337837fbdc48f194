using SafetyCheck.Audit.Chain;
using SafetyCheck.Audit.Pseudonyms;
using SafetyCheck.Audit.Records;
using SafetyCheck.Audit.Storage;
using SafetyCheck.Core.Evaluation;
using SafetyCheck.Core.Rules;

namespace SafetyCheck.Audit;

/// <summary>
/// The service's recorder: archives the revision when needed, appends the decision record (pseudonymised, derived facts
/// only) through the chain writer and waits for its commit. A failure (which the writer's health records, so health
/// reports NOT_SERVING) is logged and rethrown as <see cref="AuditStoreUnavailableException"/>, so the caller gets
/// UNAVAILABLE and no verdict.
/// </summary>
internal sealed class AuditDecisionRecorder(
    AuditChainWriter writer,
    Pseudonymiser pseudonymiser,
    RevisionArchive archive,
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
            receipt = await writer.AppendAsync(draft, cancellationToken).ConfigureAwait(false);
        }
        catch (AuditStoreUnavailableException ex)
        {
            AuditLog.NotRecorded(log, ex, decisionId);
            throw;
        }

        AuditLog.Recorded(log, decisionId, receipt.Sequence, receipt.EntryHash);
        return receipt;
    }
}
