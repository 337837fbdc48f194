using SafetyCheck.Audit.Checkpoints;

namespace SafetyCheck.AuditPage;

/// <summary>A checkpoint found in the checkpoint directory, and the file it came from.</summary>
/// <param name="Chain">The chain it vouches for: the last part of its origin in a store of several chains; empty in a store of one.</param>
/// <param name="File">The file's name (not its path).</param>
/// <param name="Checkpoint">The signed checkpoint.</param>
public sealed record KeptCheckpoint(string Chain, string File, Checkpoint Checkpoint);
