using System.Collections.Concurrent;
using SafetyCheck.Audit.Records;
using SafetyCheck.Audit.Storage;
using SafetyCheck.Core.Evaluation;
using SafetyCheck.Core.Rules;

namespace SafetyCheck.Audit.Replay;

/// <summary>
/// Replays recorded decisions: rebuilds the <see cref="EvaluationInput"/> from the record's derived facts, evaluates it
/// with <see cref="SafetyChecker.Evaluate"/> and lists every difference from what was recorded. The archived files of
/// the record's own revision are loaded strictly from memory (<see cref="RuleSetLoader.Load(IEnumerable{RuleSetFile})"/>,
/// checked to hash to that revision) and cached per revision.
/// <list type="bullet">
/// <item><see cref="ReplayAsync"/> evaluates on the record's own revision. A v1 record is compared field by field with
/// the full result it holds; a v2 record with what it spells out (verdict, precautions, plan conflicts, benefit notes,
/// the rule results those imply) and with its results digest, which covers every rule's result and each precaution's
/// details.</item>
/// <item><see cref="ExpandAsync"/> rebuilds a v2 record's full result from its own revision, when the digest confirms it.</item>
/// <item><see cref="CompareAsync(DecisionRecord, RuleSet, CancellationToken)"/> compares a record's full result with another rule set's, e.g. to see what an edit
/// would change.</item>
/// </list>
/// Thread-safe.
/// </summary>
public sealed class DecisionReplayer
{
    private readonly Func<string, CancellationToken, Task<IReadOnlyList<RuleSetFile>?>> _loadRevisionFiles;
    private readonly ConcurrentDictionary<string, Lazy<Task<LoadedRevision>>> _revisions = new(StringComparer.Ordinal);

    /// <summary>A replayer reading archived revisions from <paramref name="reader"/>.</summary>
    public DecisionReplayer(IAuditReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        _loadRevisionFiles = async (revision, cancellationToken) =>
            (await reader.GetRevisionAsync(revision, cancellationToken).ConfigureAwait(false))?.Files;
    }

    /// <summary>A replayer reading archived revisions with <paramref name="loadRevisionFiles"/> (null for a revision never archived).</summary>
    public DecisionReplayer(Func<string, CancellationToken, Task<IReadOnlyList<RuleSetFile>?>> loadRevisionFiles)
    {
        ArgumentNullException.ThrowIfNull(loadRevisionFiles);
        _loadRevisionFiles = loadRevisionFiles;
    }

    /// <summary>Replays <paramref name="record"/> on the archived files of its own revision.</summary>
    /// <exception cref="AuditStoreUnavailableException">The archive cannot be read.</exception>
    public async Task<ReplayResult> ReplayAsync(DecisionRecord record, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        var loaded = await LoadAsync(record.Content.Revision, cancellationToken).ConfigureAwait(false);
        if (loaded.Checker is null)
        {
            return new ReplayResult(loaded.Status, record.Content.Revision, [], loaded.Message);
        }

        var replayed = Evaluate(loaded.Checker, record);
        var differences = record.Legacy is { } legacy
            ? ReplayComparer.Differences(record.Content.Verdict, legacy.Result, replayed)
            : ReplayComparer.CompactDifferences(record.Content, loaded.Checker.RuleSet.Rules, replayed);
        return Result(record, loaded.Checker.RuleSet, differences, "");
    }

    /// <summary>
    /// The full result of <paramref name="record"/>: a v1 record's own; for a v2 record, its replay on its own revision
    /// when that reproduces everything the record holds, digest included. Null when it cannot be rebuilt exactly (the
    /// revision is missing or damaged, or the replay differs).
    /// </summary>
    /// <exception cref="AuditStoreUnavailableException">The archive cannot be read.</exception>
    public async Task<DecisionResult?> ExpandAsync(DecisionRecord record, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (record.Legacy is { } legacy)
        {
            return legacy.Result;
        }

        var loaded = await LoadAsync(record.Content.Revision, cancellationToken).ConfigureAwait(false);
        if (loaded.Checker is null)
        {
            return null;
        }

        var replayed = Evaluate(loaded.Checker, record);
        return ReplayComparer.CompactDifferences(record.Content, loaded.Checker.RuleSet.Rules, replayed).Count == 0
            ? DecisionResult.Of(replayed)
            : null;
    }

    /// <summary>
    /// Evaluates <paramref name="record"/>'s facts on <paramref name="ruleSet"/> and compares with the record's full
    /// result (<see cref="ExpandAsync"/>); when that cannot be rebuilt, with what the record spells out.
    /// </summary>
    /// <exception cref="AuditStoreUnavailableException">The archive cannot be read.</exception>
    public Task<ReplayResult> CompareAsync(DecisionRecord record, RuleSet ruleSet, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(ruleSet);
        return CompareAsync(record, new SafetyChecker(ruleSet, TimeProvider.System), cancellationToken);
    }

    /// <summary>
    /// <see cref="CompareAsync(DecisionRecord, RuleSet, CancellationToken)"/> with the other rule set's checker made once,
    /// for comparing many records (<c>safetycheck impact</c>).
    /// </summary>
    /// <exception cref="AuditStoreUnavailableException">The archive cannot be read.</exception>
    public async Task<ReplayResult> CompareAsync(DecisionRecord record, SafetyChecker candidate, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        ArgumentNullException.ThrowIfNull(candidate);
        var ruleSet = candidate.RuleSet;
        var replayed = Evaluate(candidate, record);
        if (await ExpandAsync(record, cancellationToken).ConfigureAwait(false) is { } recorded)
        {
            return Result(record, ruleSet, ReplayComparer.Differences(record.Content.Verdict, recorded, replayed), "");
        }

        var loaded = await LoadAsync(record.Content.Revision, cancellationToken).ConfigureAwait(false);
        var rules = loaded.Checker?.RuleSet.Rules ?? ruleSet.Rules;
        return Result(record, ruleSet, ReplayComparer.CompactDifferences(record.Content, rules, replayed),
            " (its own revision does not reproduce the record, so only what the record spells out is compared)");
    }

    /// <summary>
    /// The rule set of an archived revision as replay uses it (loaded strictly, checked to hash to the revision, cached),
    /// for showing a decision's rules and evidence; <see cref="RevisionLoad.RuleSet"/> is null when it cannot be loaded, and
    /// the status and message say why.
    /// </summary>
    /// <exception cref="AuditStoreUnavailableException">The archive cannot be read.</exception>
    public async Task<RevisionLoad> LoadRevisionAsync(string revision, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(revision);
        var loaded = await LoadAsync(revision, cancellationToken).ConfigureAwait(false);
        return new RevisionLoad(loaded.Status, loaded.Checker?.RuleSet, loaded.Message);
    }

    // Evaluate never reads the clock: as_of comes from the record.
    private static Assessment Evaluate(SafetyChecker checker, DecisionRecord record) =>
        checker.Evaluate(DecisionRecordFactory.ToEvaluationInput(record.Content));

    private static ReplayResult Result(DecisionRecord record, RuleSet ruleSet, List<ReplayDifference> differences, string note)
    {
        var revision = ruleSet.Identity.Revision;
        return differences.Count == 0
            ? new ReplayResult(ReplayStatus.Match, revision, [], $"decision {record.Content.DecisionId} replays on revision {revision} with the same result{note}")
            : new ReplayResult(ReplayStatus.Differs, revision, differences, $"decision {record.Content.DecisionId} replays on revision {revision} with {differences.Count} difference(s): {string.Join("; ", differences)}{note}");
    }

    private async Task<LoadedRevision> LoadAsync(string revision, CancellationToken cancellationToken)
    {
        var lazy = _revisions.GetOrAdd(revision, r => new Lazy<Task<LoadedRevision>>(() => ReadAndLoadAsync(r)));
        try
        {
            return await lazy.Value.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception) when (!cancellationToken.IsCancellationRequested)
        {
            // A failed read (store unavailable) is not a property of the revision: try again next time.
            _revisions.TryRemove(KeyValuePair.Create(revision, lazy));
            throw;
        }
    }

    private async Task<LoadedRevision> ReadAndLoadAsync(string revision)
    {
        var files = await _loadRevisionFiles(revision, CancellationToken.None).ConfigureAwait(false);
        return files is null
            ? new LoadedRevision(ReplayStatus.RevisionNotArchived, null, $"revision {revision} is not in the archive")
            : await Task.Run(() => LoadFromFiles(revision, files)).ConfigureAwait(false);
    }

    private static LoadedRevision LoadFromFiles(string revision, IReadOnlyList<RuleSetFile> files)
    {
        // The archived files load from memory, as they were stored: nothing is written to disk. A file whose path is
        // not a relative path inside the rule set is a load error like any other.
        var result = RuleSetLoader.Load(files);
        if (!result.Succeeded)
        {
            return new LoadedRevision(ReplayStatus.RevisionUnloadable, null, $"revision {revision} no longer loads: {string.Join("; ", result.Diagnostics)}");
        }

        return result.RuleSet.Identity.Revision == revision
            ? new LoadedRevision(ReplayStatus.Match, new SafetyChecker(result.RuleSet, TimeProvider.System), "")
            : new LoadedRevision(ReplayStatus.RevisionMismatch, null, $"the archived files of revision {revision} hash to {result.RuleSet.Identity.Revision}: the archive was changed");
    }

    private sealed record LoadedRevision(ReplayStatus Status, SafetyChecker? Checker, string Message);
}
