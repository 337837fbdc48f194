namespace SafetyCheck.AuditPage;

/// <summary>One verification's page: its progress, then its result.</summary>
/// <param name="Frame">The page frame.</param>
/// <param name="Status">The verification as it stands.</param>
/// <param name="FirstBadDecisionId">The decision at the first bad sequence, when that entry is a decision (links to it).</param>
public sealed record VerificationPageModel(PageFrame Frame, VerificationStatus Status, string? FirstBadDecisionId);
