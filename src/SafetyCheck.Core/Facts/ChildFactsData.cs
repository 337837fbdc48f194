using SafetyCheck.Core.Domain;

namespace SafetyCheck.Core.Facts;

/// <summary>
/// The derived values behind <see cref="ChildFacts"/>, as plain data for C# callers (mapping to the response,
/// the audit record). Nullable members are unknown when null. Built by <see cref="FactsDeriver"/>.
/// </summary>
public sealed record ChildFactsData
{
    /// <summary>The calendar date of as_of in the session's time zone; ages count to it.</summary>
    public required DateOnly AsOfDate { get; init; }

    public required int AgeDays { get; init; }

    public required int AgeMonths { get; init; }

    public required int AgeYears { get; init; }

    public required int InfantAgeDays { get; init; }

    public required int InfantAgeMonths { get; init; }

    /// <summary>Gestational age at birth in days; null when unknown.</summary>
    public int? GestationalAgeDays { get; init; }

    public int? CorrectedAgeDays { get; init; }

    public int? CorrectedAgeMonths { get; init; }

    public int? PostmenstrualAgeDays { get; init; }

    public int? BirthWeightGrams { get; init; }

    public double? TemperatureCelsius { get; init; }

    public int? MinutesSinceLastFeed { get; init; }

    public required AgeBand AgeBand { get; init; }

    public required GestationCategory GestationCategory { get; init; }

    public required BirthWeightCategory BirthWeightCategory { get; init; }

    public required Setting Setting { get; init; }

    public required Pressure PlannedPressure { get; init; }

    public required bool MedicalRelease { get; init; }

    public required IReadOnlyList<BodyArea> PlannedAreas { get; init; }

    /// <summary>Recognised input conditions (active and resolved), in request order.</summary>
    public required IReadOnlyList<FactCondition> Conditions { get; init; }
}
