using System.Security.Cryptography;
using System.Text;
using SafetyCheck.Audit.Chain;
using SafetyCheck.Audit.Pseudonyms;
using SafetyCheck.Audit.Records;
using SafetyCheck.Audit.Storage;
using SafetyCheck.Core.Evaluation;
using SafetyCheck.Core.Pipeline;
using SafetyCheck.Core.Rules;

namespace SafetyCheck.Audit.Recording;

/// <summary>
/// The service's <see cref="IDecisionRecorder"/>: archives the revision when needed, appends the decision record
/// (pseudonymised, derived facts only) through the chain writer and waits for its commit. A store that cannot make the
/// record durable (which the writer's health records, so health reports NOT_SERVING), a record that cannot be made and
/// a record the writer refuses become a <see cref="DecisionNotRecordedException"/>: the pipeline answers unavailable, with no verdict. Thread-safe.
/// </summary>
public sealed class ChainDecisionRecorder(AuditChainWriter writer, Pseudonymiser pseudonymiser, RevisionArchive archive) : IDecisionRecorder
{
    /// <summary>Characters of a too-long caller name that the record keeps before the hash of the whole.</summary>
    private const int KeptCallerPrefix = 200;

    public async ValueTask<DecisionReceipt?> RecordAsync(
        RuleSet ruleSet,
        Assessment assessment,
        string decisionId,
        Caller caller,
        DateTimeOffset decidedAt,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(ruleSet);
        DecisionRecordDraft draft;
        try
        {
            draft = DecisionRecordFactory.Create(assessment, decisionId, ForRecord(caller.Name), decidedAt, pseudonymiser);
        }
        catch (ArgumentException ex)
        {
            // A record that cannot be made (a decision id that is not a lowercase UUIDv7, from a custom id source) is
            // refused as one the writer refuses: unavailable with no verdict, not an internal error.
            throw new DecisionNotRecordedException($"the decision record could not be made: {ex.Message}", ex);
        }

        AuditReceipt receipt;
        try
        {
            await archive.EnsureArchivedAsync(ruleSet, cancellationToken).ConfigureAwait(false);
            receipt = await writer.AppendAsync(draft, cancellationToken).ConfigureAwait(false);
        }
        catch (AuditStoreUnavailableException ex)
        {
            throw new DecisionNotRecordedException(ex.Message, ex);
        }
        catch (Exception ex) when (ex is InvalidOperationException or ArgumentException)
        {
            // The writer refused the record itself (an entry id already recorded, a revision never archived, a record
            // with no canonical form): not the caller's doing and not a verdict to answer; unavailable, as any record
            // that could not be made durable.
            throw RefusedByWriter(ex);
        }
        catch (AppendCancelledException ex)
        {
            throw new RecordingCancelledException(ex.Message, ReceiptOf(ex.Committed), ex.CancellationToken);
        }

        return new DecisionReceipt(receipt.Sequence, receipt.EntryHash);
    }

    private static async Task<DecisionReceipt?> ReceiptOf(Task<AuditReceipt?> committed)
    {
        try
        {
            var receipt = await committed.ConfigureAwait(false);
            return receipt is null ? null : new DecisionReceipt(receipt.Sequence, receipt.EntryHash);
        }
        catch (AuditStoreUnavailableException ex)
        {
            throw new DecisionNotRecordedException(ex.Message, ex);
        }
        catch (Exception ex) when (ex is InvalidOperationException or ArgumentException)
        {
            // Refused by the writer once queued (an entry id already recorded, say), as in RecordAsync.
            throw RefusedByWriter(ex);
        }
    }

    private static DecisionNotRecordedException RefusedByWriter(Exception refusal) =>
        new($"the decision record was refused by the audit writer: {refusal.Message}", refusal);

    /// <summary>
    /// <paramref name="caller"/> as recorded: unchanged up to <see cref="DecisionRecordFactory.MaxCallerLength"/>
    /// characters; a longer one keeps its first 200 characters and a hash of the whole, so two long names stay apart.
    /// </summary>
    public static string? ForRecord(string? caller) =>
        caller is null || caller.Length <= DecisionRecordFactory.MaxCallerLength
            ? caller
            : $"{caller[..KeptCallerPrefix]}…sha256:{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(caller)))[..16]}";
}
