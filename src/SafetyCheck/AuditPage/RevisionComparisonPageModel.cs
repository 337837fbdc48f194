using SafetyCheck.Audit.Storage;

namespace SafetyCheck.AuditPage;

/// <summary>The difference between two archived revisions, with the revisions to choose other ones from.</summary>
public sealed record RevisionComparisonPageModel(PageFrame Frame, RevisionComparison Comparison, IReadOnlyList<RevisionUse> Revisions);
