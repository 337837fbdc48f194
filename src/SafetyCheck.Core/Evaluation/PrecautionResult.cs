using SafetyCheck.Core.Domain;
using SafetyCheck.Core.Rules;

namespace SafetyCheck.Core.Evaluation;

/// <summary>One fired rule (or a synthetic precaution such as <c>unrecognized-condition</c>) as the caller sees it.</summary>
public sealed record PrecautionResult
{
    public required string RuleId { get; init; }

    /// <summary>What this precaution contributes to the verdict (raised to the conflict outcome on a plan conflict).</summary>
    public required Suitability Outcome { get; init; }

    public required Severity Severity { get; init; }

    public required string Summary { get; init; }

    public required string Detail { get; init; }

    public required IReadOnlyList<BodyArea> AvoidAreas { get; init; }

    /// <summary>Unspecified means no limit.</summary>
    public required Pressure MaxPressure { get; init; }

    public required bool PlanConflict { get; init; }

    public required Evidence Evidence { get; init; }

    /// <summary><c>system|code</c> of the input conditions, or the fact names, that made the rule fire.</summary>
    public required IReadOnlyList<string> TriggeredBy { get; init; }
}
