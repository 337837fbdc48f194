using System.Reflection;
using SafetyCheck.Core.Evaluation;

namespace SafetyCheck.Audit.Records;

/// <summary>The versions of the code that evaluates rules, as recorded with every decision.</summary>
public static class EngineVersion
{
    /// <summary>Hex digits of a build's commit kept in the recorded version (as in a short git hash).</summary>
    public const int CommitDigits = 12;

    /// <summary>
    /// <c>RulesEngine/&lt;package version&gt; SafetyCheck.Core/&lt;version&gt;+&lt;12 hex digits of the commit&gt;</c>, e.g.
    /// <c>RulesEngine/6.0.1 SafetyCheck.Core/1.0.0+eb0f264d4c69</c>. The package version names RulesEngine exactly; the
    /// commit names the evaluating code.
    /// </summary>
    public static string Current { get; } =
        $"RulesEngine/{Version(typeof(RulesEngine.RulesEngine).Assembly, 0)} SafetyCheck.Core/{Version(typeof(SafetyChecker).Assembly, CommitDigits)}";

    private static string Version(Assembly assembly, int metadataDigits)
    {
        var version = assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
            ?? assembly.GetName().Version?.ToString()
            ?? "unknown";
        var plus = version.IndexOf('+', StringComparison.Ordinal);
        return plus < 0 ? version
            : metadataDigits == 0 ? version[..plus]
            : version[..Math.Min(version.Length, plus + 1 + metadataDigits)];
    }
}
