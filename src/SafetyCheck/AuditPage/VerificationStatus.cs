using SafetyCheck.Audit.Verification;

namespace SafetyCheck.AuditPage;

/// <summary>A verification of the trail started from the page, as it stands.</summary>
/// <param name="Id">Its id (in its page's address).</param>
/// <param name="StartedBy">The auditor who started it.</param>
/// <param name="StartedAt">When it started.</param>
/// <param name="FinishedAt">When it finished; null while it runs.</param>
/// <param name="Total">Records in every chain when it started.</param>
/// <param name="Checked">Records read so far.</param>
/// <param name="Reports">One report per chain once finished (and one per checkpoint of a chain the store no longer has).</param>
/// <param name="Checkpoints">The checkpoints it verified against (the newest of each chain).</param>
/// <param name="Note">Why it could not run, or why the checkpoints were not used; null when neither.</param>
public sealed record VerificationStatus(
    string Id,
    string StartedBy,
    DateTimeOffset StartedAt,
    DateTimeOffset? FinishedAt,
    long Total,
    long Checked,
    IReadOnlyList<ChainReport> Reports,
    IReadOnlyList<KeptCheckpoint> Checkpoints,
    string? Note)
{
    public bool IsFinished => FinishedAt is not null;

    /// <summary>True once finished with every chain verifying (against its checkpoint, when there is one).</summary>
    public bool Passed => IsFinished && !Failed && Reports.All(r => r.Report.IsValid);

    /// <summary>
    /// True when it failed in a way that refuses the chain this service appends to (that chain, or the archive every
    /// chain shares): the service appends nothing more and health reports NOT_SERVING, as after a failed background
    /// verification.
    /// </summary>
    public bool ChainRefused { get; init; }

    /// <summary>True when it could not run at all (the store could not be read).</summary>
    public bool Failed { get; init; }

    /// <summary>The first report that failed, or null.</summary>
    public ChainReport? FirstFailure => Reports.FirstOrDefault(r => !r.Report.IsValid);

    /// <summary>Percent of the records read, 0–100.</summary>
    public int Percent => Total == 0 ? (IsFinished ? 100 : 0) : (int)Math.Min(100, Checked * 100 / Total);
}
