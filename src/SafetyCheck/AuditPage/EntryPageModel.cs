namespace SafetyCheck.AuditPage;

/// <summary>The page of a chain entry that is not a decision.</summary>
public sealed record EntryPageModel(PageFrame Frame, EntryView Entry);
