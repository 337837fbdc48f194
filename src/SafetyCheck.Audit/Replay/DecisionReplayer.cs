using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using SafetyCheck.Audit.Records;
using SafetyCheck.Audit.Storage;
using SafetyCheck.Core.Evaluation;
using SafetyCheck.Core.Rules;

namespace SafetyCheck.Audit.Replay;

/// <summary>
/// Replays recorded decisions: rebuilds the <see cref="EvaluationInput"/> from the record's derived facts, evaluates it
/// with <see cref="SafetyChecker.Evaluate"/> and lists every difference from what was recorded. The archived files of
/// the record's own revision are read from the archive and hashed again for every replay, so a replay always checks the
/// archive as it is at that moment (an archived file changed while the process runs is a
/// <see cref="ReplayStatus.RevisionMismatch"/> at the next replay, never an answer from a copy read earlier). Only the
/// rule set compiled from them (<see cref="RuleSetLoader.Load(IEnumerable{RuleSetFile})"/>, strictly, from memory) is
/// cached, keyed by the SHA-256 of the exact bytes that were just read and found to hash to the revision. A replayer made
/// for one batch run (<see cref="ArchiveReads.OncePerRevision"/>) reads and hashes each revision once instead.
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
    private readonly ArchiveReads _reads;

    // Compiled rule sets, keyed by the SHA-256 of the exact archived bytes they were compiled from (files that hashed to
    // their revision when read); only what was verified is ever looked up here.
    private readonly ConcurrentDictionary<string, Lazy<Task<LoadedRevision>>> _compiled;

    // With ArchiveReads.OncePerRevision only: each revision as read and checked the first time.
    private readonly ConcurrentDictionary<string, Lazy<Task<LoadedRevision>>> _revisions = new(StringComparer.Ordinal);

    /// <summary>A replayer reading archived revisions from <paramref name="reader"/>.</summary>
    /// <param name="reader">The store.</param>
    /// <param name="reads">How often the archived files are read and hashed: for every replay (the default, for a
    /// replayer that lives as long as a service), or once per revision (for one batch run).</param>
    public DecisionReplayer(IAuditReader reader, ArchiveReads reads = ArchiveReads.EveryReplay)
    {
        ArgumentNullException.ThrowIfNull(reader);
        _loadRevisionFiles = async (revision, cancellationToken) =>
            (await reader.GetRevisionAsync(revision, cancellationToken).ConfigureAwait(false))?.Files;
        _reads = reads;
        _compiled = new(StringComparer.Ordinal);
    }

    /// <summary>A replayer reading archived revisions with <paramref name="loadRevisionFiles"/> (null for a revision never archived).</summary>
    /// <param name="loadRevisionFiles">Reads a revision's archived files.</param>
    /// <param name="reads">How often the archived files are read and hashed (see <see cref="ArchiveReads"/>).</param>
    public DecisionReplayer(Func<string, CancellationToken, Task<IReadOnlyList<RuleSetFile>?>> loadRevisionFiles, ArchiveReads reads = ArchiveReads.EveryReplay)
    {
        ArgumentNullException.ThrowIfNull(loadRevisionFiles);
        _loadRevisionFiles = loadRevisionFiles;
        _reads = reads;
        _compiled = new(StringComparer.Ordinal);
    }

    private DecisionReplayer(DecisionReplayer shared, ArchiveReads reads)
    {
        _loadRevisionFiles = shared._loadRevisionFiles;
        _reads = reads;
        _compiled = shared._compiled;
    }

    /// <summary>
    /// A replayer for one batch of answers (one page of a listing): it reads and checks each revision's archived files
    /// once, when the batch first needs them, and shares this replayer's compiled rule sets. Discard it with the batch,
    /// so the next batch checks the archive again.
    /// </summary>
    public DecisionReplayer ForOneBatch() => new(this, ArchiveReads.OncePerRevision);

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
    /// The rule set of an archived revision as replay uses it (read from the archive and checked to hash to the revision now,
    /// compiled strictly, the compiled rule set cached by content),
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
        if (_reads == ArchiveReads.EveryReplay)
        {
            return await ReadAndLoadAsync(revision, cancellationToken).ConfigureAwait(false);
        }

        var lazy = _revisions.GetOrAdd(revision, r => new Lazy<Task<LoadedRevision>>(() => ReadAndLoadAsync(r, CancellationToken.None)));
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

    /// <summary>Reads the archived files as they are now, checks that they hash to the revision, and compiles them (once per content).</summary>
    private async Task<LoadedRevision> ReadAndLoadAsync(string revision, CancellationToken cancellationToken)
    {
        var files = await _loadRevisionFiles(revision, cancellationToken).ConfigureAwait(false);
        if (files is null)
        {
            return new LoadedRevision(ReplayStatus.RevisionNotArchived, null, $"revision {revision} is not in the archive");
        }

        var (hash, content) = await Task.Run(() => (RevisionHasher.Compute(files), ContentDigest(files)), cancellationToken).ConfigureAwait(false);
        if (!string.Equals(hash, revision, StringComparison.Ordinal))
        {
            return new LoadedRevision(ReplayStatus.RevisionMismatch, null, $"the archived files of revision {revision} hash to {hash}: the archive was changed");
        }

        var lazy = _compiled.GetOrAdd(content, _ => new Lazy<Task<LoadedRevision>>(() => Task.Run(() => LoadFromFiles(revision, files))));
        return await lazy.Value.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// SHA-256 over the exact bytes of <paramref name="files"/> (each path and length framed), unlike the revision hash,
    /// which normalises line endings: the key of a compiled rule set is exactly what it was compiled from.
    /// </summary>
    private static string ContentDigest(IReadOnlyList<RuleSetFile> files)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        Span<byte> length = stackalloc byte[sizeof(long)];
        foreach (var file in files.OrderBy(f => f.Path, StringComparer.Ordinal))
        {
            var path = Encoding.UTF8.GetBytes(file.Path);
            BinaryPrimitives.WriteInt64LittleEndian(length, path.Length);
            hash.AppendData(length);
            hash.AppendData(path);
            BinaryPrimitives.WriteInt64LittleEndian(length, file.Content.Length);
            hash.AppendData(length);
            hash.AppendData(file.Content);
        }

        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    private static LoadedRevision LoadFromFiles(string revision, IReadOnlyList<RuleSetFile> files)
    {
        // The archived files load from memory, as they were stored: nothing is written to disk. A file whose path is
        // not a relative path inside the rule set is a load error like any other.
        var result = RuleSetLoader.LoadArchived(files);
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
