using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using SafetyCheck.Audit.Checkpoints;
using SafetyCheck.Audit.Storage;

namespace SafetyCheck.Audit.Verification;

/// <summary>
/// Verifies every chain of a store (<see cref="IAuditChainSet"/>), each with <see cref="AuditVerifier"/>, against the
/// checkpoints that name it and against the last verified point its store recorded (<see cref="IVerifiedPointReader"/>). In a store of several chains a checkpoint names its chain in its origin
/// (<see cref="ChainOrigin"/>); a checkpoint of a chain the store no longer has fails as a truncated tail (the whole
/// chain is gone). In a store of one chain every checkpoint is of that chain. Given the store itself, it then checks
/// the archive the chains' entries and the checkpoints name (<see cref="ArchiveVerifier"/>), which every chain shares.
/// </summary>
public static class ChainSetVerifier
{
    /// <summary>
    /// One report per chain, in chain order (then one per checkpoint of a missing chain). When every chain verifies, the
    /// archive is checked too: a problem there replaces the report of the chain that first names the revision (else the
    /// first chain's); when it holds, the last report says how many archived revisions hash to their files.
    /// </summary>
    /// <exception cref="ArgumentNullException">A checkpoint is given without a key.</exception>
    public static async Task<IReadOnlyList<ChainReport>> VerifyAsync(
        IAuditChainSet chains,
        IReadOnlyList<Checkpoint> checkpoints,
        ECDsa? checkpointKey,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(chains);
        var ids = await chains.ListChainsAsync(cancellationToken).ConfigureAwait(false);
        var named = new Dictionary<string, (string Chain, long Sequence)>(StringComparer.Ordinal);
        var points = new Dictionary<string, AuditHead?>(StringComparer.Ordinal);
        foreach (var id in ids)
        {
            points[id] = chains.Chain(id) is IVerifiedPointReader reader ? await reader.GetVerifiedPointAsync(cancellationToken).ConfigureAwait(false) : null;
        }

        var reports = await VerifyAsync(ids, id => AuditScan.Observe(ScanAsync(chains.Chain(id), cancellationToken), row =>
        {
            if (row.Revision is { } revision)
            {
                named.TryAdd(revision, (id, row.Sequence));
            }
        }, cancellationToken), points, checkpoints, checkpointKey, cancellationToken).ConfigureAwait(false);
        if (ids.Count == 0 || reports.Any(r => !r.Report.IsValid))
        {
            return reports;
        }

        var referenced = named.ToDictionary(n => n.Key, n => n.Value.Sequence, StringComparer.Ordinal);
        var (failure, count) = await ArchiveVerifier.CheckAsync(
            chains.Chain(ids[0]), referenced, checkpoints.SelectMany(c => c.Revisions).Distinct(StringComparer.Ordinal), cancellationToken).ConfigureAwait(false);
        var result = reports.ToList();
        if (failure is null)
        {
            result[^1] = result[^1] with { Report = result[^1].Report with { Message = $"{result[^1].Report.Message}; {ArchiveVerifier.Summary(count)}" } };
            return result;
        }

        var at = failure.Revision is { } revision && named.TryGetValue(revision, out var first) ? result.FindIndex(r => r.Chain == first.Chain) : 0;
        var blamed = result[at < 0 ? 0 : at];
        result[at < 0 ? 0 : at] = blamed with { Report = failure with { EntriesChecked = blamed.Report.EntriesChecked, Head = blamed.Report.Head } };
        return result;
    }

    /// <summary>
    /// One report per chain of <paramref name="ids"/> (<c>[""]</c> for a store of one chain), each verifying the rows
    /// <paramref name="rowsOf"/> gives for it (from a store, or from a JSON Lines export).
    /// </summary>
    public static Task<IReadOnlyList<ChainReport>> VerifyAsync(
        IReadOnlyList<string> ids,
        Func<string, IAsyncEnumerable<StoredEntry>> rowsOf,
        IReadOnlyList<Checkpoint> checkpoints,
        ECDsa? checkpointKey,
        CancellationToken cancellationToken = default) =>
        VerifyAsync(ids, rowsOf, new Dictionary<string, AuditHead?>(StringComparer.Ordinal), checkpoints, checkpointKey, cancellationToken);

    /// <summary>As above, each chain also checked against its store's last verified point in <paramref name="points"/> (if any).</summary>
    private static async Task<IReadOnlyList<ChainReport>> VerifyAsync(
        IReadOnlyList<string> ids,
        Func<string, IAsyncEnumerable<StoredEntry>> rowsOf,
        IReadOnlyDictionary<string, AuditHead?> points,
        IReadOnlyList<Checkpoint> checkpoints,
        ECDsa? checkpointKey,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(ids);
        ArgumentNullException.ThrowIfNull(rowsOf);
        ArgumentNullException.ThrowIfNull(checkpoints);
        var single = ids is [""];
        var reports = new List<ChainReport>(ids.Count);
        foreach (var id in ids)
        {
            var mine = checkpoints.Where(c => single || ChainOrigin.ChainOf(c.Origin) == id).ToList();
            var point = points.GetValueOrDefault(id);
            if (mine.Count == 0)
            {
                reports.Add(new ChainReport(id, await AuditVerifier.VerifyAsync(rowsOf(id), point, null, null, cancellationToken).ConfigureAwait(false)));
                continue;
            }

            // The newest checkpoint of a chain covers the older ones' sizes only if the chain was not rewritten between
            // them, so each is checked.
            VerificationReport? report = null;
            foreach (var checkpoint in mine)
            {
                report = await AuditVerifier.VerifyAsync(rowsOf(id), point, checkpoint, checkpointKey, cancellationToken).ConfigureAwait(false);
                if (!report.IsValid)
                {
                    break;
                }
            }

            reports.Add(new ChainReport(id, report!));
        }

        if (!single)
        {
            foreach (var orphan in checkpoints.Where(c => ChainOrigin.ChainOf(c.Origin) is not { } id || !ids.Contains(id, StringComparer.Ordinal)))
            {
                var chain = ChainOrigin.ChainOf(orphan.Origin);
                if (checkpointKey is not null && !orphan.VerifySignature(checkpointKey))
                {
                    reports.Add(new ChainReport(chain ?? orphan.Origin, new VerificationReport(
                        VerificationProblem.CheckpointSignatureInvalid, 0, AuditHead.Empty, null,
                        $"the checkpoint's signature does not verify with key {Checkpoint.KeyIdOf(checkpointKey)} (signed by {orphan.KeyId})")));
                    continue;
                }

                reports.Add(new ChainReport(chain ?? orphan.Origin, new VerificationReport(
                    chain is null ? VerificationProblem.RewrittenChain : VerificationProblem.TruncatedTail, 0, AuditHead.Empty, chain is null ? null : 1,
                    chain is null
                        ? $"the checkpoint's origin '{orphan.Origin}' names no chain of this store"
                        : $"the checkpoint of {orphan.Size} records names the chain '{chain}', which this store does not hold: the whole chain is gone")));
            }
        }

        return reports;
    }

    private static async IAsyncEnumerable<StoredEntry> ScanAsync(IAuditChain chain, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var head = await chain.HeadAsync(cancellationToken).ConfigureAwait(false);
        await foreach (var row in AuditScan.ReadAllAsync(chain, head.Size, cancellationToken).ConfigureAwait(false))
        {
            yield return row;
        }
    }
}
