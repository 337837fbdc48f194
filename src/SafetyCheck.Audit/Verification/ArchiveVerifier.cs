using System.Globalization;
using System.Text.Json;
using SafetyCheck.Audit.Storage;
using SafetyCheck.Core.Rules;

namespace SafetyCheck.Audit.Verification;

/// <summary>
/// Checks the archive of rule revisions that replay depends on: every revision an entry names, and every one a
/// checkpoint signed, is archived; every archived revision's files still hash to it — recomputed with the loader's own
/// <see cref="RevisionHasher"/>, so whatever the loader hashes (rule files, catalog, terminology) is covered — and its
/// archived name and version are its manifest's. When the files no longer hash to their revision, the per-file digests
/// the store recorded at archiving name the file that changed (a revision archived before digests were kept can only be
/// named as a whole). Reads only.
/// </summary>
public static class ArchiveVerifier
{
    /// <summary>
    /// Checks the archive of <paramref name="reader"/> after its chain verified as <paramref name="chain"/>; returns
    /// <paramref name="chain"/> with the archive's count added when everything holds, else the first problem.
    /// </summary>
    /// <param name="reader">The store.</param>
    /// <param name="referenced">Each revision the verified entries name, with the first sequence that names it.</param>
    /// <param name="signedRevisions">Revisions a version 2 checkpoint lists (empty without one).</param>
    /// <param name="chain">The chain's report: valid.</param>
    /// <param name="cancellationToken">Stops the check.</param>
    public static async Task<VerificationReport> VerifyAsync(
        IAuditReader reader,
        IReadOnlyDictionary<string, long> referenced,
        IEnumerable<string> signedRevisions,
        VerificationReport chain,
        CancellationToken cancellationToken)
    {
        var (failure, count) = await CheckAsync(reader, referenced, signedRevisions, cancellationToken).ConfigureAwait(false);
        return failure is null
            ? chain with { Message = $"{chain.Message}; {Summary(count)}" }
            : failure with { EntriesChecked = chain.EntriesChecked, Head = chain.Head };
    }

    /// <summary>
    /// The first problem of the archive of <paramref name="reader"/> (its entry count and head left for the caller to
    /// fill in), or null, and the number of archived revisions checked.
    /// </summary>
    public static async Task<(VerificationReport? Failure, int Revisions)> CheckAsync(
        IAuditReader reader,
        IReadOnlyDictionary<string, long> referenced,
        IEnumerable<string> signedRevisions,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(reader);
        ArgumentNullException.ThrowIfNull(referenced);
        ArgumentNullException.ThrowIfNull(signedRevisions);
        var archived = (await reader.ListRevisionsAsync(cancellationToken).ConfigureAwait(false)).ToHashSet(StringComparer.Ordinal);
        foreach (var (revision, sequence) in referenced.OrderBy(r => r.Value))
        {
            if (!archived.Contains(revision))
            {
                return (Failed(VerificationProblem.ArchiveRevisionMissing, revision, null, sequence,
                    $"sequence {sequence}: its rule revision {revision} is not in the archive, so it cannot be replayed"), archived.Count);
            }
        }

        foreach (var revision in signedRevisions)
        {
            if (!archived.Contains(revision))
            {
                return (Failed(VerificationProblem.ArchiveRevisionMissing, revision, null, null,
                    $"revision {revision}: archived when the checkpoint was signed, it is no longer in the archive"), archived.Count);
            }
        }

        foreach (var revision in archived.Order(StringComparer.Ordinal))
        {
            var stored = await reader.GetRevisionAsync(revision, cancellationToken).ConfigureAwait(false);
            if (stored is null)
            {
                return (Failed(VerificationProblem.ArchiveRevisionMissing, revision, null, null,
                    $"revision {revision}: listed in the archive but its identity cannot be read"), archived.Count);
            }

            if (Check(stored) is { } problem)
            {
                return (Failed(VerificationProblem.ArchivedRevisionAltered, revision, problem.File, referenced.TryGetValue(revision, out var first) ? first : null,
                    $"revision {revision}: {problem.Message}"), archived.Count);
            }
        }

        return (null, archived.Count);
    }

    /// <summary>What a passing archive check adds to a report's message.</summary>
    public static string Summary(int revisions) => revisions == 1
        ? "1 archived rule revision hashes to its files"
        : string.Create(CultureInfo.InvariantCulture, $"{revisions} archived rule revisions hash to their files");

    /// <summary>What is wrong with one archived revision, naming the file where the digests can; null when it holds.</summary>
    public static (string Message, string? File)? Check(ArchivedRevision stored)
    {
        var revision = stored.Identity.Revision;
        var paths = stored.Files.Select(f => f.Path).ToHashSet(StringComparer.Ordinal);
        var changed = stored.Files
            .Where(f => stored.FileDigests.TryGetValue(f.Path, out var digest) && !string.Equals(digest, ArchivedRevision.DigestOf(f.Content), StringComparison.Ordinal))
            .Select(f => f.Path)
            .ToList();
        var removed = stored.FileDigests.Keys.Where(p => !paths.Contains(p)).Order(StringComparer.Ordinal).ToList();
        var undigested = stored.Files.Where(f => !stored.FileDigests.ContainsKey(f.Path)).Select(f => f.Path).ToList();

        if (!string.Equals(RevisionHasher.Compute(stored.Files), revision, StringComparison.Ordinal))
        {
            if (changed.Count > 0)
            {
                return ($"archived file {Names(changed)} {(changed.Count == 1 ? "was" : "were")} changed: the files no longer hash to the revision (SHA-256 of {changed[0]} differs from the digest recorded when it was archived)", changed[0]);
            }

            if (removed.Count > 0)
            {
                return ($"archived file {Names(removed)} {(removed.Count == 1 ? "was" : "were")} removed: the files no longer hash to the revision", removed[0]);
            }

            if (stored.FileDigests.Count == 0)
            {
                return ("its archived files no longer hash to it: a file was changed, added or removed (archived before per-file digests were kept, so the file cannot be named)", null);
            }

            if (undigested.Count > 0)
            {
                return ($"file {Names(undigested)} {(undigested.Count == 1 ? "was" : "were")} added to the archive: the files no longer hash to the revision", undigested[0]);
            }

            // Every file left matches its digest: a file's row went, and its digest with it (or a file and its digest
            // were both changed). The files every revision has are named when missing; a rule file cannot be.
            var required = ((string[])[ManifestLoader.FileName, RuleSetLoader.CatalogFileName]).Where(p => !paths.Contains(p)).ToList();
            return required.Count > 0
                ? ($"archived file {Names(required)} {(required.Count == 1 ? "was" : "were")} removed: the files no longer hash to the revision", required[0])
                : ("its archived files no longer hash to it, though every file left matches the digest recorded for it: a file was removed (its digest with it, so it cannot be named), or a file and its recorded digest were both changed", null);
        }

        if (changed.Count > 0 || removed.Count > 0)
        {
            var edited = changed.Concat(removed).ToList();
            return ($"the digest recorded for archived file {Names(edited)} was changed (the files themselves still hash to the revision)", edited[0]);
        }

        return ManifestProblem(stored);
    }

    /// <summary>A difference between the archived name and version and the manifest's; null when they agree (or there is no manifest to read).</summary>
    private static (string Message, string? File)? ManifestProblem(ArchivedRevision stored)
    {
        var manifest = stored.Files.FirstOrDefault(f => f.Path == ManifestLoader.FileName);
        if (manifest is null)
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(manifest.Content, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
            var name = Member(document.RootElement, "name");
            var version = Member(document.RootElement, "version");
            return string.Equals(name, stored.Identity.Name, StringComparison.Ordinal) && string.Equals(version, stored.Identity.Version, StringComparison.Ordinal)
                ? null
                : ($"the archive names it {stored.Identity.Name} {stored.Identity.Version} but its manifest says {name} {version}", manifest.Path);
        }
        catch (JsonException)
        {
            // It hashes to its revision, so the loader read it once; a manifest in another shape is not this check's to judge.
            return null;
        }
    }

    private static string? Member(JsonElement root, string name) =>
        root.ValueKind == JsonValueKind.Object && root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static string Names(List<string> paths) => paths.Count <= 3 ? string.Join(", ", paths) : $"{string.Join(", ", paths.Take(3))} and {paths.Count - 3} more";

    private static VerificationReport Failed(VerificationProblem problem, string revision, string? file, long? sequence, string message) =>
        new(problem, 0, AuditHead.Empty, sequence, message) { Revision = revision, File = file };
}
