namespace SafetyCheck.Audit;

/// <summary>What the service does when its background verification finds the audit chain broken.</summary>
internal sealed class AuditVerificationOptions
{
    /// <summary>
    /// Stop the host when the full verification fails (<c>serve</c> then exits 1 with the reason). Default false: the
    /// chain is refused and the host keeps answering NOT_SERVING (tests, embedded hosts).
    /// </summary>
    public bool StopWhenChainBroken { get; init; }
}
