namespace SafetyCheck.AuditPage;

/// <summary>What the verification page's script polls: whether it finished, records read of the total, percent.</summary>
public sealed record VerificationProgress(bool Finished, long Checked, long Total, int Percent);
