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
    /// <summary>Reload entries read per page while looking for the latest reloads.</summary>
    private const int ReloadPageSize = 200;

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

    /// <summary>
    /// Whether the trail remembers <paramref name="revision"/> as refused for what its files say: either this instance's
    /// latest reload (on its own chain: another instance's reloads never hide it) refused it, or the latest reload of that
    /// revision recorded on any chain refused it (no reload served it since, anywhere). Either way the caller vets the
    /// files again before they serve. Reads the reload entries newest first until both are known (reloads are few).
    /// </summary>
    public async Task<IReadOnlyList<Diagnostic>?> RefusalOfAsync(string revision, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(revision);
        var chain = OwnChain.Of(storage);
        (ReloadRecord Record, string? Chain)? ownLatest = null;
        (ReloadRecord Record, string? Chain)? revisionLatest = null;
        string? token = null;
        do
        {
            EntryPage page;
            try
            {
                page = await storage.ListAsync(
                    new EntryFilter { Kind = EntryKinds.Reload, NewestFirst = true, PageSize = ReloadPageSize, PageToken = token },
                    cancellationToken).ConfigureAwait(false);
            }
            catch (AuditStoreUnavailableException ex)
            {
                throw new ReloadNotRecordedException(ex.Message, ex);
            }

            foreach (var entry in page.Items)
            {
                var own = ownLatest is null && OwnChain.Holds(chain, entry);
                if (!own && revisionLatest is not null)
                {
                    continue;
                }

                var reload = Read(entry);
                if (own)
                {
                    ownLatest = (reload, entry.Chain);
                }

                if (revisionLatest is null && reload.CandidateRevision == revision)
                {
                    revisionLatest = (reload, entry.Chain);
                }

                if (ownLatest is not null && revisionLatest is not null)
                {
                    break;
                }
            }

            token = page.NextPageToken;
        }
        while (token is not null && (ownLatest is null || revisionLatest is null));

        string? where = null;
        ReloadRecord? refusal = null;
        if (ownLatest is { } latest && RefusedForItsFiles(latest.Record, revision))
        {
            refusal = latest.Record;
            where = string.Create(CultureInfo.InvariantCulture, $"the latest reload recorded in the audit trail{(latest.Chain is null ? "" : $" on this instance's chain {latest.Chain}")} ({latest.Record.RecordedAt:yyyy-MM-dd HH:mm:ss}Z) refused revision {revision}");
        }
        else if (revisionLatest is { } ofRevision && RefusedForItsFiles(ofRevision.Record, revision))
        {
            refusal = ofRevision.Record;
            where = string.Create(CultureInfo.InvariantCulture, $"the latest reload of revision {revision} recorded in the audit trail{(ofRevision.Chain is null ? "" : $" (on chain {ofRevision.Chain})")} refused it ({ofRevision.Record.RecordedAt:yyyy-MM-dd HH:mm:ss}Z) and no reload served it since");
        }

        return refusal is null
            ? null
            :
            [
                new Diagnostic(".", 0, 0, $"{where}, and it still fails, so it is not served: fix the files (test --rules DIR shows the failing cases) or restore the revision that served"),
                .. refusal.Diagnostics.Select(Diagnostic.Parse),
            ];
    }

    /// <summary>A refusal of <paramref name="revision"/> for what its files say (a load error, a failing case, the review), not only because the trail could not take it.</summary>
    private static bool RefusedForItsFiles(ReloadRecord reload, string revision) =>
        reload.Outcome == ReloadRecord.Refused
        && reload.CandidateRevision == revision
        && (reload.CasesFailed > 0 || reload.Diagnostics.Any(d => !d.Contains(RuleReloader.StoreRefusal, StringComparison.Ordinal)));

    private static ReloadRecord Read(StoredEntry entry)
    {
        try
        {
            return ReloadRecord.Read(JsonNode.Parse(entry.RecordJson) as JsonObject ?? throw new InvalidDataException("the entry is not a JSON object"));
        }
        catch (Exception ex) when (ex is InvalidDataException or System.Text.Json.JsonException or InvalidOperationException or FormatException)
        {
            throw new ReloadNotRecordedException(
                string.Create(CultureInfo.InvariantCulture, $"the reload entry {entry.Chain}{(entry.Chain is null ? "" : " ")}{entry.Sequence} cannot be read: {ex.Message}"),
                ex);
        }
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
