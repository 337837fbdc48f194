namespace SafetyCheck.AuditPage;

/// <summary>One property that differs between two revisions: its name, and its value before and after (empty when absent).</summary>
public sealed record FieldChange(string Field, string Before, string After);
