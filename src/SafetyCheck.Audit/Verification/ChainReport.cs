namespace SafetyCheck.Audit.Verification;

/// <summary>The verification of one chain of a store.</summary>
/// <param name="Chain">The chain's id; empty in a store of one chain.</param>
/// <param name="Report">What its verification found.</param>
public sealed record ChainReport(string Chain, VerificationReport Report);
