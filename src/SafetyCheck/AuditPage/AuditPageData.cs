using System.Text.Json;
using SafetyCheck.Audit.Records;
using SafetyCheck.Audit.Replay;
using SafetyCheck.Audit.Storage;
using SafetyCheck.Audit.Summaries;
using SafetyCheck.Audit.Verification;
using SafetyCheck.Core.Evaluation;
using SafetyCheck.Core.Rules;

namespace SafetyCheck.AuditPage;

/// <summary>
/// What the pages read, through the readers the gRPC Audit service uses: the store (<see cref="IAuditReader"/>), its
/// chains, the replayer (archived revisions, strictly loaded and cached) and the rule-set names. Adds nothing of its
/// own to a decision: texts and evidence come from the archived revision that answered. Reads only. Thread-safe.
/// </summary>
internal sealed class AuditPageData(IAuditReader store, IAuditChainSet chains, DecisionReplayer replayer, RulesetIdentities rulesets) : IDisposable
{
    private readonly SummaryCache? _summaryCache = store is IAuditSummarySource source ? new SummaryCache(source) : null;

    /// <summary>
    /// The store's counts, when it keeps them (the SQLite and PostgreSQL stores do): kept by a <see cref="SummaryCache"/>,
    /// which counts each decision once and then only what was appended.
    /// </summary>
    public IAuditSummaries? Summaries => _summaryCache ?? store as IAuditSummaries;

    /// <summary>The kept counts, or null when the store cannot be read by position.</summary>
    public SummaryCache? SummaryCache => _summaryCache;

    public IAuditChainSet Chains => chains;

    public DecisionReplayer Replayer => replayer;

    /// <summary>One page of decisions, newest first, and the token of the next (older) page.</summary>
    /// <exception cref="ArgumentException">The page token is not one the store issued.</exception>
    public async Task<(IReadOnlyList<DecisionRow> Rows, string? Older)> ListAsync(EntryFilter filter, CancellationToken cancellationToken)
    {
        var page = await store.ListAsync(filter, cancellationToken).ConfigureAwait(false);
        return ([.. page.Items.Select(Row)], page.NextPageToken);
    }

    /// <summary>Every archived revision with its use; empty when the store keeps no counts.</summary>
    public async Task<IReadOnlyList<RevisionUse>> RevisionsAsync(CancellationToken cancellationToken) =>
        Summaries is { } summaries ? await summaries.ListRevisionUsesAsync(cancellationToken).ConfigureAwait(false) : [];

    /// <summary>Every archived revision, first used first, without counting (cheap on any trail); empty when the store keeps no summaries.</summary>
    public async Task<IReadOnlyList<RulesetIdentity>> ArchivedRevisionsAsync(CancellationToken cancellationToken) =>
        Summaries is { } summaries ? await summaries.ListArchivedRevisionsAsync(cancellationToken).ConfigureAwait(false) : [];

    /// <summary>
    /// The stored entry with id <paramref name="entryId"/>, of any kind (a decision's id is its entry id), or null when
    /// there is none or the id is not an entry id (every kind's is a lowercase UUIDv7).
    /// </summary>
    public async Task<StoredEntry?> FindAsync(string entryId, CancellationToken cancellationToken)
    {
        try
        {
            DecisionRecordFactory.ValidateDecisionId(entryId);
        }
        catch (ArgumentException)
        {
            return null;
        }

        return await store.GetAsync(entryId, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>What the page of an entry that is not a decision shows: its place in the chain and its record.</summary>
    public async Task<EntryView> EntryAsync(StoredEntry row, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(row);
        return new EntryView(row, await PlaceAsync(row, cancellationToken).ConfigureAwait(false), EntryJson.Show(row));
    }

    /// <summary>Everything the decision page shows about <paramref name="row"/>.</summary>
    /// <exception cref="InvalidDataException">The stored record is not a decision record this build reads.</exception>
    public async Task<DecisionView> DecisionAsync(StoredEntry row, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(row);
        var record = row.ToRecord();
        var content = record.Content;
        var ruleset = await rulesets.OfAsync(record, cancellationToken).ConfigureAwait(false);
        var expanded = await replayer.ExpandAsync(record, cancellationToken).ConfigureAwait(false);
        var revision = await replayer.LoadRevisionAsync(content.Revision, cancellationToken).ConfigureAwait(false);

        // The archived revision's own words for each precaution and note: evaluated on it, never on the rules served now.
        var replayed = revision.RuleSet is { } ruleSet
            ? new SafetyChecker(ruleSet, TimeProvider.System).Evaluate(DecisionRecordFactory.ToEvaluationInput(content), cancellationToken)
            : null;
        var texts = replayed?.Precautions.ToDictionary(p => p.RuleId, StringComparer.Ordinal) ?? [];
        var definitions = revision.RuleSet?.Rules.ToDictionary(r => r.RuleId, StringComparer.Ordinal) ?? [];
        var conflicts = content.PlanConflicts.ToHashSet(StringComparer.Ordinal);
        IReadOnlyList<PrecautionView> precautions = expanded is { } full
            ? [.. full.Precautions.Select(p => Precaution(p.RuleId, p.Outcome, p.Severity, p.PlanConflict, p.AvoidAreas, p.MaxPressure, p.TriggeredBy, texts, definitions))]
            : [.. content.Precautions.Select(id => Precaution(id, null, null, conflicts.Contains(id), [], default, [], texts, definitions))];
        var notes = replayed?.Benefits.ToDictionary(b => b.RuleId, StringComparer.Ordinal) ?? [];
        var benefits = content.Benefits.Select(id => notes.TryGetValue(id, out var note)
            ? new BenefitView(id, note.Topic, note.Summary, note.Evidence)
            : definitions.TryGetValue(id, out var rule) ? new BenefitView(id, rule.Topic, rule.Summary, rule.Evidence) : new BenefitView(id, "", "", Evidence.None)).ToArray();
        var traceNote = expanded is not null ? null
            : revision.RuleSet is null ? $"The full rule trace cannot be shown: {revision.Message}."
            : "The full rule trace cannot be shown: the archived revision does not reproduce this record (replay it to see the differences).";
        return new DecisionView(row, record, ruleset, FactRows.Of(content.Facts), precautions, benefits, expanded?.Rules, traceNote,
            await PlaceAsync(row, cancellationToken).ConfigureAwait(false), IndexColumns.Disagreeing(row, record));
    }

    /// <summary>Replays the record on its own archived revision.</summary>
    public Task<ReplayResult> ReplayAsync(DecisionRecord record, CancellationToken cancellationToken) => replayer.ReplayAsync(record, cancellationToken);

    /// <summary>The chain's entry at <paramref name="sequence"/>, or null.</summary>
    public async Task<StoredEntry?> EntryAtAsync(string chain, long sequence, CancellationToken cancellationToken)
    {
        await foreach (var entry in chains.Chain(chain).ReadRangeAsync(sequence, 1, cancellationToken).ConfigureAwait(false))
        {
            return entry.Sequence == sequence ? entry : null;
        }

        return null;
    }

    /// <summary>Releases the kept counts.</summary>
    public void Dispose() => _summaryCache?.Dispose();

    private async Task<ChainPlace> PlaceAsync(StoredEntry row, CancellationToken cancellationToken)
    {
        var chain = chains.Chain(row.Chain ?? "");
        var head = await chain.HeadAsync(cancellationToken).ConfigureAwait(false);
        ChainNeighbour? previous = null;
        ChainNeighbour? next = null;
        await foreach (var neighbour in chain.ReadRangeAsync(Math.Max(1, row.Sequence - 1), 3, cancellationToken).ConfigureAwait(false))
        {
            if (neighbour.Sequence == row.Sequence - 1)
            {
                previous = new ChainNeighbour(neighbour.EntryId, neighbour.Kind, neighbour.Sequence);
            }
            else if (neighbour.Sequence == row.Sequence + 1)
            {
                next = new ChainNeighbour(neighbour.EntryId, neighbour.Kind, neighbour.Sequence);
            }
        }

        // The checks audit show makes: the record's hash, and its links to the entries before and after it.
        var problems = await EntryIntegrity.CheckAsync(chain, row, cancellationToken).ConfigureAwait(false);
        return new ChainPlace(row.Chain, row.Sequence, head.Size, row.PrevHash, row.EntryHash, ChainHash.IsIntact(row), previous, next, problems);
    }

    private static PrecautionView Precaution(
        string id,
        Core.Domain.Suitability? outcome,
        Core.Domain.Severity? severity,
        bool conflict,
        IReadOnlyList<Core.Domain.BodyArea> areas,
        Core.Domain.Pressure pressure,
        IReadOnlyList<string> triggers,
        Dictionary<string, PrecautionResult> texts,
        Dictionary<string, RuleDefinition> definitions)
    {
        if (texts.TryGetValue(id, out var replayed))
        {
            // Evaluated on the archived revision but none of its rules: the engine's own precaution (an unrecognised code).
            return new PrecautionView(id, outcome, severity, conflict, areas, pressure, triggers, replayed.Summary, replayed.Detail, replayed.Evidence)
            {
                BuiltIn = !definitions.ContainsKey(id),
            };
        }

        return definitions.TryGetValue(id, out var rule)
            ? new PrecautionView(id, outcome, severity, conflict, areas, pressure, triggers, rule.Summary, rule.Detail, rule.Evidence)
            : new PrecautionView(id, outcome, severity, conflict, areas, pressure, triggers, "", "", Evidence.None);
    }

    private static DecisionRow Row(StoredEntry row)
    {
        IReadOnlyList<string> rules = [];
        try
        {
            rules = row.RuleIds is { } ids ? JsonSerializer.Deserialize<string[]>(ids) ?? [] : [];
            var record = row.ToRecord();

            // The list shows the index columns; a row whose record was changed, or whose columns disagree with it, is
            // flagged. Both are checked on the row already read (a hash and a comparison), no further read.
            var changed = !ChainHash.IsIntact(row) || IndexColumns.Disagreeing(row, record).Count > 0;
            return new DecisionRow(row.EntryId, row.Sequence, row.Chain, row.RecordedAt, row.Verdict ?? "", rules, row.Revision ?? "", record.Content.Caller, true, changed);
        }
        catch (Exception ex) when (ex is InvalidDataException or JsonException)
        {
            return new DecisionRow(row.EntryId, row.Sequence, row.Chain, row.RecordedAt, row.Verdict ?? "", rules, row.Revision ?? "", "", false, true);
        }
    }
}
