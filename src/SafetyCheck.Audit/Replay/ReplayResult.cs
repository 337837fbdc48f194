namespace SafetyCheck.Audit.Replay;

/// <summary>The outcome of replaying one recorded decision.</summary>
/// <param name="Status">Match, differs, or why the replay could not run.</param>
/// <param name="Revision">The revision the decision was replayed on.</param>
/// <param name="Differences">Every difference, verdict first; empty unless <see cref="ReplayStatus.Differs"/>.</param>
/// <param name="Message">A one-line summary for people.</param>
public sealed record ReplayResult(ReplayStatus Status, string Revision, IReadOnlyList<ReplayDifference> Differences, string Message)
{
    /// <summary>True when the replay reproduced the recorded decision.</summary>
    public bool Matches => Status == ReplayStatus.Match;
}
