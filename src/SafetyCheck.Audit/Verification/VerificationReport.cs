using SafetyCheck.Audit.Storage;

namespace SafetyCheck.Audit.Verification;

/// <summary>The result of verifying a chain, optionally against a signed checkpoint.</summary>
/// <param name="Problem"><see cref="VerificationProblem.None"/> when the chain verifies.</param>
/// <param name="EntriesChecked">Records whose hash and link were recomputed before the verification stopped.</param>
/// <param name="Head">The verified head: size and entry hash of the last record checked that verified.</param>
/// <param name="FirstBadSequence">The first sequence that fails; null when the chain verifies or when a rewrite cannot be placed.</param>
/// <param name="Message">What was found, for people: names the sequence and the reason.</param>
public sealed record VerificationReport(
    VerificationProblem Problem,
    long EntriesChecked,
    AuditHead Head,
    long? FirstBadSequence,
    string Message)
{
    /// <summary>The rule revision at fault, for archive problems; null otherwise.</summary>
    public string? Revision { get; init; }

    /// <summary>The archived file at fault (its path in the revision), when one can be named; null otherwise.</summary>
    public string? File { get; init; }

    /// <summary>True when every record verified (and the checkpoint, when one was given).</summary>
    public bool IsValid => Problem == VerificationProblem.None;
}
