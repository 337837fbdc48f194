namespace SafetyCheck.AuditPage;

/// <summary>A page that says one thing: a refusal, something not found, the store unavailable.</summary>
public sealed record MessagePageModel(PageFrame Frame, string Title, string Text);
