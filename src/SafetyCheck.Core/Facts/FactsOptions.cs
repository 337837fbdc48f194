namespace SafetyCheck.Core.Facts;

/// <summary>Policy parameters that shape fact derivation (from <c>rules/ruleset.json</c>).</summary>
/// <remarks>
/// C# reads these parameters as well as the rule expressions, so the loader holds them to the whole numbers and bounds
/// below (a rule set that breaks them does not load): a value the derivation could not use as the expressions read it
/// is refused where the clinician wrote it, never found at request time.
/// </remarks>
public sealed record FactsOptions
{
    /// <summary>Name of the policy parameter that sets <see cref="CorrectedAgeCutoffMonths"/>.</summary>
    public const string CorrectedAgeCutoffParameter = "correctedAgeCutoffMonths";

    /// <summary>Largest <see cref="CorrectedAgeCutoffMonths"/> a rule set may set: 120 months (10 years).</summary>
    /// <remarks>
    /// Corrected age is a measure for infancy and early childhood (catch-up is usually judged by 2 to 3 years); a
    /// cut-off of years more is a typo (months written for days, say), not a policy, so it is refused at load.
    /// </remarks>
    public const int MaxCorrectedAgeCutoffMonths = 120;

    /// <summary>
    /// Chronological age in completed months from which infant rows stop using corrected age: 0 to
    /// <see cref="MaxCorrectedAgeCutoffMonths"/> (0: never corrected). Default 24.
    /// </summary>
    public int CorrectedAgeCutoffMonths { get; init; } = 24;

    /// <summary>Name of the policy parameter that sets <see cref="TermGestationWeeks"/>.</summary>
    public const string TermGestationParameter = "termGestationWeeks";

    /// <summary>Smallest <see cref="TermGestationWeeks"/> a rule set may set: 32 completed weeks.</summary>
    /// <remarks>
    /// The gestation categories below term are fixed (extremely preterm under 28 weeks, very preterm 28 to under 32);
    /// term may not start inside them, or a baby would be term and very preterm at once.
    /// </remarks>
    public const int MinTermGestationWeeks = 32;

    /// <summary>Largest <see cref="TermGestationWeeks"/> a rule set may set: 42 completed weeks, where post-term starts.</summary>
    public const int MaxTermGestationWeeks = 42;

    /// <summary>
    /// Gestational age at birth in completed weeks from which a baby is term; below it the baby is preterm, has a
    /// corrected age and a preterm <see cref="Domain.GestationCategory"/>: <see cref="MinTermGestationWeeks"/> to
    /// <see cref="MaxTermGestationWeeks"/>. Default 37.
    /// </summary>
    public int TermGestationWeeks { get; init; } = 37;
}
