namespace SafetyCheck.Core.Rules;

/// <summary>The contents of <c>ruleset.json</c>: name, version, description, policy parameters and the policy document.</summary>
public sealed record RulesetManifest(string Name, string Version, string Description, IReadOnlyList<PolicyParameter> Parameters, Evidence ReviewEvidence)
{
    /// <summary>The policy document the rule ids are checked against; null when the manifest names none.</summary>
    public PolicyReference? Policy { get; init; }
}
