namespace SafetyCheck.AuditPage;

/// <summary>One fact the rules saw, named as in the record (<c>age_days</c>), its value as text (<c>unknown</c> when unknown).</summary>
public sealed record FactRow(string Name, string Value);
