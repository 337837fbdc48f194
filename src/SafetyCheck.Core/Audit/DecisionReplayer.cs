using System.Collections.Concurrent;
using SafetyCheck.Core.Evaluation;
using SafetyCheck.Core.Rules;

namespace SafetyCheck.Core.Audit;

/// <summary>
/// Replays recorded decisions: rebuilds the <see cref="EvaluationInput"/> from the record's derived facts, evaluates it
/// with <see cref="SafetyChecker.Evaluate"/> on a rule set, and lists every difference from what was recorded.
/// <see cref="ReplayAsync"/> uses the archived files of the record's own revision (written to a temporary folder,
/// loaded strictly with <see cref="RuleSetLoader"/>, checked to hash to that revision, cached per revision);
/// <see cref="Compare"/> uses any loaded rule set, e.g. to see what an edit would change. Thread-safe.
/// </summary>
public sealed class DecisionReplayer
{
    private readonly Func<string, CancellationToken, Task<IReadOnlyList<RuleSetFile>?>> _loadRevisionFiles;
    private readonly ConcurrentDictionary<string, Lazy<Task<LoadedRevision>>> _revisions = new(StringComparer.Ordinal);

    /// <summary>A replayer reading archived revisions from <paramref name="reader"/>.</summary>
    public DecisionReplayer(IAuditReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        _loadRevisionFiles = reader.GetRevisionFilesAsync;
    }

    /// <summary>A replayer reading archived revisions with <paramref name="loadRevisionFiles"/> (null for a revision never archived).</summary>
    public DecisionReplayer(Func<string, CancellationToken, Task<IReadOnlyList<RuleSetFile>?>> loadRevisionFiles)
    {
        ArgumentNullException.ThrowIfNull(loadRevisionFiles);
        _loadRevisionFiles = loadRevisionFiles;
    }

    /// <summary>Replays <paramref name="record"/> on the archived files of its own revision.</summary>
    public async Task<ReplayResult> ReplayAsync(DecisionRecord record, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        var revision = record.Content.Ruleset.Revision;
        var lazy = _revisions.GetOrAdd(revision, r => new Lazy<Task<LoadedRevision>>(() => LoadAsync(r)));
        LoadedRevision loaded;
        try
        {
            loaded = await lazy.Value.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception) when (!cancellationToken.IsCancellationRequested)
        {
            // A failed read (store unavailable) is not a property of the revision: try again next time.
            _revisions.TryRemove(KeyValuePair.Create(revision, lazy));
            throw;
        }

        return loaded.RuleSet is null
            ? new ReplayResult(loaded.Status, revision, [], loaded.Message)
            : Compare(record, loaded.RuleSet);
    }

    /// <summary>Evaluates <paramref name="record"/>'s facts on <paramref name="ruleSet"/> and compares with what was recorded.</summary>
    public static ReplayResult Compare(DecisionRecord record, RuleSet ruleSet)
    {
        ArgumentNullException.ThrowIfNull(record);
        ArgumentNullException.ThrowIfNull(ruleSet);

        // Evaluate never reads the clock: as_of comes from the record.
        var replayed = new SafetyChecker(ruleSet, TimeProvider.System).Evaluate(DecisionRecordFactory.ToEvaluationInput(record.Content));
        var differences = ReplayComparer.Differences(record.Content, replayed);
        var revision = ruleSet.Identity.Revision;
        return differences.Count == 0
            ? new ReplayResult(ReplayStatus.Match, revision, [], $"decision {record.Content.DecisionId} replays on revision {revision} with the same result")
            : new ReplayResult(ReplayStatus.Differs, revision, differences, $"decision {record.Content.DecisionId} replays on revision {revision} with {differences.Count} difference(s): {string.Join("; ", differences)}");
    }

    private async Task<LoadedRevision> LoadAsync(string revision)
    {
        var files = await _loadRevisionFiles(revision, CancellationToken.None).ConfigureAwait(false);
        return files is null
            ? new LoadedRevision(ReplayStatus.RevisionNotArchived, null, $"revision {revision} is not in the archive")
            : await Task.Run(() => LoadFromFiles(revision, files)).ConfigureAwait(false);
    }

    private static LoadedRevision LoadFromFiles(string revision, IReadOnlyList<RuleSetFile> files)
    {
        var root = Path.Combine(Path.GetTempPath(), "safetycheck-replay-" + Path.GetRandomFileName());
        Directory.CreateDirectory(root);
        try
        {
            foreach (var file in files)
            {
                var target = Path.GetFullPath(Path.Combine(root, file.Path));
                if (Path.IsPathRooted(file.Path) || file.Path.Contains('\\', StringComparison.Ordinal) || !target.StartsWith(root + Path.DirectorySeparatorChar, StringComparison.Ordinal))
                {
                    return new LoadedRevision(ReplayStatus.RevisionUnloadable, null, $"revision {revision} has an archived file with an unsafe path '{file.Path}'");
                }

                Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                File.WriteAllBytes(target, file.Content);
            }

            var result = RuleSetLoader.Load(root);
            if (!result.Succeeded)
            {
                return new LoadedRevision(ReplayStatus.RevisionUnloadable, null, $"revision {revision} no longer loads: {string.Join("; ", result.Diagnostics)}");
            }

            return result.RuleSet.Identity.Revision == revision
                ? new LoadedRevision(ReplayStatus.Match, result.RuleSet, "")
                : new LoadedRevision(ReplayStatus.RevisionMismatch, null, $"the archived files of revision {revision} hash to {result.RuleSet.Identity.Revision}: the archive was changed");
        }
        finally
        {
            try
            {
                Directory.Delete(root, recursive: true);
            }
            catch (IOException)
            {
                // A leftover temporary folder holds only rule files.
            }
        }
    }

    private sealed record LoadedRevision(ReplayStatus Status, RuleSet? RuleSet, string Message);
}
