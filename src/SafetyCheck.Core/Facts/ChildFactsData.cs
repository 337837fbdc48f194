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

    /// <summary>Chronological age in days: as_of date − birth date; 0 on the day of birth, never negative.</summary>
    public required int AgeDays { get; init; }

    /// <summary>Chronological age in completed calendar months (day-of-month reached, clamped to month end).</summary>
    public required int AgeMonths { get; init; }

    /// <summary>Chronological age in completed years (completed months / 12); 0–17 for a validated request.</summary>
    public required int AgeYears { get; init; }

    /// <summary>Age for the infant rows in days: <see cref="CorrectedAgeDays"/> when known and <see cref="AgeMonths"/> is below the corrected-age cut-off, else <see cref="AgeDays"/>. May be negative.</summary>
    public required int InfantAgeDays { get; init; }

    /// <summary>Age for the infant rows in completed months, chosen as <see cref="InfantAgeDays"/>. May be negative.</summary>
    public required int InfantAgeMonths { get; init; }

    /// <summary>Gestational age at birth in days (weeks × 7 + days), from the profile or a preterm-weeks code; null when unknown.</summary>
    public int? GestationalAgeDays { get; init; }

    /// <summary>Corrected age in days: <see cref="AgeDays"/> − (280 − GA days); known only when GA is known and below 259 days (37 weeks). Negative before the due date.</summary>
    public int? CorrectedAgeDays { get; init; }

    /// <summary>Completed months from the due date (birth + 280 − GA days) to the as_of date, floored: negative before the due date. Known as <see cref="CorrectedAgeDays"/>.</summary>
    public int? CorrectedAgeMonths { get; init; }

    /// <summary>Postmenstrual age in days: GA days + <see cref="AgeDays"/>; null when GA is unknown.</summary>
    public int? PostmenstrualAgeDays { get; init; }

    /// <summary>Birth weight in grams, 200–7000; null when unknown.</summary>
    public int? BirthWeightGrams { get; init; }

    /// <summary>Body temperature in °C, 30.0–45.0, finite; null when not measured.</summary>
    public double? TemperatureCelsius { get; init; }

    /// <summary>Minutes since the last feed, 0–10080; null when not given.</summary>
    public int? MinutesSinceLastFeed { get; init; }

    /// <summary>Band of the chronological age (see <see cref="Domain.AgeBand"/>).</summary>
    public required AgeBand AgeBand { get; init; }

    /// <summary>Category of the completed weeks of gestation; Unspecified when GA is unknown.</summary>
    public required GestationCategory GestationCategory { get; init; }

    /// <summary>Category of the birth weight; Unspecified when the weight is unknown.</summary>
    public required BirthWeightCategory BirthWeightCategory { get; init; }

    /// <summary>Where the session takes place; Unspecified when not given.</summary>
    public required Setting Setting { get; init; }

    /// <summary>Planned pressure; Unspecified when not given.</summary>
    public required Pressure PlannedPressure { get; init; }

    /// <summary>The care team has released the child for massage.</summary>
    public required bool MedicalRelease { get; init; }

    /// <summary>Planned areas in request order, without duplicates (WHOLE_BODY may be among them).</summary>
    public required IReadOnlyList<BodyArea> PlannedAreas { get; init; }

    /// <summary>Recognised input conditions (active and resolved), in request order.</summary>
    public required IReadOnlyList<FactCondition> Conditions { get; init; }
}
