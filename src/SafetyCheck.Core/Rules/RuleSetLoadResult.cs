using System.Diagnostics.CodeAnalysis;

namespace SafetyCheck.Core.Rules;

/// <summary>A loaded rule set, or every diagnostic that kept it from loading (never both).</summary>
public sealed record RuleSetLoadResult(RuleSet? RuleSet, IReadOnlyList<Diagnostic> Diagnostics)
{
    /// <summary>True when the rule set loaded with no diagnostic.</summary>
    [MemberNotNullWhen(true, nameof(RuleSet))]
    public bool Succeeded => RuleSet is not null && Diagnostics.Count == 0;
}
