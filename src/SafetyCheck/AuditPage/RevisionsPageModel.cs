using SafetyCheck.Audit.Storage;

namespace SafetyCheck.AuditPage;

/// <summary>The archived revisions, first used first, with the two a comparison starts from (the last two used).</summary>
public sealed record RevisionsPageModel(PageFrame Frame, IReadOnlyList<RevisionUse> Revisions, string CompareFrom, string CompareTo);
