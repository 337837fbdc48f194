namespace SafetyCheck.Audit.Replay;

/// <summary>One way a replayed decision differs from the recorded one.</summary>
/// <param name="Field">What differs: <c>verdict</c>, <c>precautions[rule]</c>, <c>precautions[rule].outcome</c>,
/// <c>.severity</c>, <c>.plan_conflict</c>, <c>.avoid_areas</c>, <c>.max_pressure</c>, <c>.triggered_by</c>,
/// <c>benefits[rule]</c> or <c>rules[rule]</c>.</param>
/// <param name="Recorded">The recorded value (<c>absent</c> when the record has none).</param>
/// <param name="Replayed">The replayed value (<c>absent</c> when the replay has none).</param>
public sealed record ReplayDifference(string Field, string Recorded, string Replayed)
{
    /// <summary>The value shown for a precaution, benefit or rule that one side does not have.</summary>
    public const string Absent = "absent";

    /// <summary><c>field: recorded → replayed</c>.</summary>
    public override string ToString() => $"{Field}: {Recorded} → {Replayed}";
}
