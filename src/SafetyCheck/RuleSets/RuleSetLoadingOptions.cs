namespace SafetyCheck.RuleSets;

/// <summary>Which rule set the service loads when it starts, and what an invalid one does.</summary>
internal sealed class RuleSetLoadingOptions
{
    /// <summary>The absolute rule directory.</summary>
    public required string Directory { get; init; }

    /// <summary>Load the rule set when the host starts. Default true; tests turn it off to observe the unloaded state.</summary>
    public bool LoadOnStart { get; init; } = true;

    /// <summary>Stop the host when the rule set is invalid (<c>serve</c> then exits 1). Default false: keep answering NOT_SERVING.</summary>
    public bool StopWhenInvalid { get; init; }
}
