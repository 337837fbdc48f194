namespace SafetyCheck.Core.Rules;

/// <summary>A source: title, publication year, and URL where one exists (may be empty).</summary>
public sealed record Citation(string Title, int Year, string Url);
