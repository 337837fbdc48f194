namespace SafetyCheck.Core.Rules;

/// <summary>Which rule set answered: its name and version from <c>ruleset.json</c>, and the content revision.</summary>
/// <param name="Name">Rule-set name.</param>
/// <param name="Version">Human version from the manifest.</param>
/// <param name="Revision">Lowercase hex SHA-256 of the canonical rule set.</param>
public sealed record RulesetIdentity(string Name, string Version, string Revision);
