namespace SafetyCheck.Core.Facts;

/// <summary>Policy parameters that shape fact derivation (from <c>rules/ruleset.json</c>).</summary>
public sealed record FactsOptions
{
    /// <summary>Name of the policy parameter that sets <see cref="CorrectedAgeCutoffMonths"/>.</summary>
    public const string CorrectedAgeCutoffParameter = "correctedAgeCutoffMonths";

    /// <summary>
    /// Chronological age in completed months from which infant rows stop using corrected age. Default 24.
    /// </summary>
    public int CorrectedAgeCutoffMonths { get; init; } = 24;
}
