using System.Globalization;
using System.Text.Json.Nodes;
using SafetyCheck.Audit.Chain;
using SafetyCheck.Audit.Records;
using SafetyCheck.Audit.Recording;
using SafetyCheck.Audit.Storage;
using SafetyCheck.Core.Pipeline;
using SafetyCheck.Core.Rules;
using SafetyCheck.RuleSets;

namespace SafetyCheck.Audit;

/// <summary>
/// Reloads in the audit trail: a candidate's revision is archived (<see cref="RevisionArchive"/>) before it serves, and
/// each reload is appended as a <see cref="ReloadRecord"/> (<c>safetycheck.reload/v1</c>) with an id from the decision
/// id source (UUIDv7). A store that cannot make either durable is a <see cref="ReloadNotRecordedException"/>. An append
/// that failed is looked up by its entry id before it counts as failed: a store that committed the entry but lost the
/// acknowledgement (a connection dropped after the commit) has recorded the reload, and the reloader serves what the
/// trail says it served.
/// </summary>
internal sealed class AuditReloadJournal(AuditChainWriter writer, RevisionArchive archive, IDecisionIdSource ids, IAuditStorage storage) : IReloadJournal
{
    public async Task ArchiveAsync(RuleSet ruleSet, CancellationToken cancellationToken)
    {
        try
        {
            await archive.EnsureArchivedAsync(ruleSet, cancellationToken).ConfigureAwait(false);
        }
        catch (AuditStoreUnavailableException ex)
        {
            throw new ReloadNotRecordedException(ex.Message, ex);
        }
    }

    public async Task<DecisionReceipt> RecordAsync(ReloadReport report, RuleSet? serving, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(report);
        var record = new ReloadRecord(
            ids.Next(),
            report.AttemptedAt,
            serving?.Identity.Revision,
            report.CandidateRevision,
            report.PreviousRevision,
            report.Trigger == ReloadTrigger.Caller ? ReloadRecord.CallerTrigger : ReloadRecord.FileWatchTrigger,
            report.Trigger == ReloadTrigger.Caller ? ChainDecisionRecorder.ForRecord(report.Caller) : null,
            report.Outcome switch
            {
                ReloadOutcome.Served => ReloadRecord.Served,
                ReloadOutcome.Refused => ReloadRecord.Refused,
                _ => ReloadRecord.Unchanged,
            },
            report.CasesRun,
            report.CasesFailed,
            report.Diagnostics.Count,
            [.. report.Diagnostics.Take(ReloadRecord.MaxDiagnostics).Select(d => d.ToString())]);
        try
        {
            if (serving is not null)
            {
                // The entry names the revision serving; the writer refuses it until that revision is archived.
                await archive.EnsureArchivedAsync(serving, cancellationToken).ConfigureAwait(false);
            }

            var receipt = await writer.AppendAsync(record, cancellationToken).ConfigureAwait(false);
            return new DecisionReceipt(receipt.Sequence, receipt.EntryHash);
        }
        catch (AuditStoreUnavailableException ex)
        {
            if (await CommittedAsync(record.EntryId).ConfigureAwait(false) is { } committed)
            {
                return new DecisionReceipt((ulong)committed.Sequence, committed.EntryHash);
            }

            throw new ReloadNotRecordedException(ex.Message, ex);
        }
    }

    public async Task<IReadOnlyList<Diagnostic>?> RefusalOfAsync(string revision, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(revision);
        EntryPage latest;
        try
        {
            latest = await storage.ListAsync(new EntryFilter { Kind = EntryKinds.Reload, NewestFirst = true, PageSize = 1 }, cancellationToken).ConfigureAwait(false);
        }
        catch (AuditStoreUnavailableException ex)
        {
            throw new ReloadNotRecordedException(ex.Message, ex);
        }

        if (latest.Items.Count == 0)
        {
            return null;
        }

        ReloadRecord reload;
        try
        {
            reload = ReloadRecord.Read(JsonNode.Parse(latest.Items[0].RecordJson) as JsonObject ?? throw new InvalidDataException("the entry is not a JSON object"));
        }
        catch (Exception ex) when (ex is InvalidDataException or System.Text.Json.JsonException or InvalidOperationException or FormatException)
        {
            throw new ReloadNotRecordedException($"the latest reload entry cannot be read: {ex.Message}", ex);
        }

        var forItsFiles = reload.CasesFailed > 0 || reload.Diagnostics.Any(d => !d.Contains(RuleReloader.StoreRefusal, StringComparison.Ordinal));
        return reload.Outcome == ReloadRecord.Refused && reload.CandidateRevision == revision && forItsFiles
            ?
            [
                new Diagnostic(".", 0, 0, string.Create(CultureInfo.InvariantCulture,
                    $"the latest reload recorded in the audit trail ({reload.RecordedAt:yyyy-MM-dd HH:mm:ss}Z) refused revision {revision}, and it still fails, so it is not served: fix the files (test --rules DIR shows the failing cases) or restore the revision that served")),
                .. reload.Diagnostics.Select(Diagnostic.Parse),
            ]
            : null;
    }

    /// <summary>The entry <paramref name="entryId"/> if the store holds it after all; null when it does not or cannot say.</summary>
    private async Task<StoredEntry?> CommittedAsync(string entryId)
    {
        try
        {
            return await storage.GetAsync(entryId, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The store cannot say either: the reload counts as not recorded (it does not serve).
            return null;
        }
    }
}
