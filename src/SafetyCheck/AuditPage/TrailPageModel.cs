namespace SafetyCheck.AuditPage;

/// <summary>The trail page: the chains and their heads, the newest kept checkpoints, and the recent verifications.</summary>
/// <param name="Frame">The page frame.</param>
/// <param name="Chains">Every chain with its head.</param>
/// <param name="Checkpoints">The newest checkpoint of each chain in the checkpoint directory.</param>
/// <param name="CheckpointDirectory">Where checkpoints are looked for; null when there is no such directory.</param>
/// <param name="Verifications">Verifications started from the page since the service started, newest first.</param>
/// <param name="ServiceVerification">What the service's own verification (in the background since it started) found so far, in a few words.</param>
public sealed record TrailPageModel(
    PageFrame Frame,
    IReadOnlyList<ChainHead> Chains,
    IReadOnlyList<KeptCheckpoint> Checkpoints,
    string? CheckpointDirectory,
    IReadOnlyList<VerificationStatus> Verifications,
    string ServiceVerification);
