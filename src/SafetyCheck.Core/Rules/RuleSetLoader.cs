namespace SafetyCheck.Core.Rules;

/// <summary>Loads a rule directory strictly: manifest, catalog, rule files; every problem reported at once.</summary>
public static class RuleSetLoader
{
    /// <summary>Loads, vets and compiles the rule set in <paramref name="directory"/>.</summary>
    public static RuleSetLoadResult Load(string directory) => throw new NotImplementedException("in progress");
}
