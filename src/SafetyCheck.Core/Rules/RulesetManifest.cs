namespace SafetyCheck.Core.Rules;

/// <summary>The contents of <c>ruleset.json</c>: name, version, description and policy parameters.</summary>
public sealed record RulesetManifest(string Name, string Version, string Description, IReadOnlyList<PolicyParameter> Parameters, Evidence ReviewEvidence);
