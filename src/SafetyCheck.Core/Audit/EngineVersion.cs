using System.Reflection;

namespace SafetyCheck.Core.Audit;

/// <summary>The versions of the code that evaluates rules, as recorded with every decision.</summary>
public static class EngineVersion
{
    /// <summary><c>RulesEngine/&lt;informational version&gt; SafetyCheck.Core/&lt;informational version&gt;</c>.</summary>
    public static string Current { get; } =
        $"RulesEngine/{Of(typeof(RulesEngine.RulesEngine).Assembly)} SafetyCheck.Core/{Of(typeof(EngineVersion).Assembly)}";

    private static string Of(Assembly assembly) =>
        assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
        ?? assembly.GetName().Version?.ToString()
        ?? "unknown";
}
