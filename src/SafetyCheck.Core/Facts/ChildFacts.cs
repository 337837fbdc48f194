using SafetyCheck.Core.Domain;

namespace SafetyCheck.Core.Facts;

/// <summary>
/// The derived facts of one request: what rule expressions see as the parameter <c>child</c>, and what the response,
/// the audit record and replay read. One immutable object, built once per request by <see cref="FactsDeriver"/> (or
/// read back from an audit record) and read directly by the compiled rules. Ages use the calendar date of as_of in
/// the session's time zone.
/// </summary>
/// <remarks>
/// Members marked <see cref="RuleVisibleAttribute"/> are the rule vocabulary documented in <c>rules/README.md</c>;
/// nothing else is reachable from an expression. Numbers that may be unknown are <see cref="Quantity"/> values, which
/// cannot be compared as numbers when unknown. Enum facts are stored as enums (<c>…Value</c>) and shown to rules as
/// their contract names. Adding a fact: a property here (marked when rules may read it), its derivation in
/// <see cref="FactsDeriver"/>, and its member in the audit record (<c>FactsJson</c> write and read).
/// </remarks>
public sealed record ChildFacts
{
    private readonly FactCondition[] _conditions = [];
    private readonly BodyArea[] _plannedAreas = [];
    private readonly AgeBand _ageBand;
    private readonly GestationCategory _gestationCategory;
    private readonly BirthWeightCategory _birthWeightCategory;
    private readonly Setting _setting;
    private readonly Pressure _plannedPressure;

    /// <summary>The calendar date of as_of in the session's time zone; ages count to it.</summary>
    public required DateOnly AsOfDate { get; init; }

    /// <summary>Chronological age in days: as_of date − birth date; 0 on the day of birth, never negative.</summary>
    [RuleVisible]
    public required int AgeDays { get; init; }

    /// <summary>Chronological age in completed calendar months (day-of-month reached, clamped to month end).</summary>
    [RuleVisible]
    public required int AgeMonths { get; init; }

    /// <summary>Chronological age in completed years (completed months / 12); 0–17 for a validated request.</summary>
    [RuleVisible]
    public required int AgeYears { get; init; }

    /// <summary>
    /// Age for the infant rows, in days: corrected age when gestational age is known and below term
    /// (<c>termGestationWeeks</c>, 37 weeks as shipped) and the child is younger than the corrected-age cut-off;
    /// chronological age otherwise. May be negative.
    /// </summary>
    [RuleVisible]
    public required int InfantAgeDays { get; init; }

    /// <summary>Age for the infant rows in completed months (see <see cref="InfantAgeDays"/>). May be negative.</summary>
    [RuleVisible]
    public required int InfantAgeMonths { get; init; }

    /// <summary>Gestational age at birth in days (weeks × 7 + days), from the profile or a preterm-weeks code; unknown when not given.</summary>
    [RuleVisible]
    public Quantity GestationalAgeDays { get; init; }

    /// <summary>Gestational age at birth in completed weeks; unknown when not given.</summary>
    [RuleVisible]
    public Quantity GestationalAgeWeeks => GestationalAgeDays.TryGetValue(out var days) ? Quantity.Of(Math.Floor(days / 7)) : Quantity.Unknown;

    /// <summary>True when gestational age at birth is known (given, or named by a preterm-weeks code).</summary>
    [RuleVisible]
    public bool GestationKnown => GestationalAgeDays.IsKnown;

    /// <summary>
    /// Corrected age in days: <see cref="AgeDays"/> − (280 − GA days); known only when GA is known and below term
    /// (<c>termGestationWeeks</c> × 7 days: 259 days for 37 weeks). Negative before the due date.
    /// </summary>
    [RuleVisible]
    public Quantity CorrectedAgeDays { get; init; }

    /// <summary>Completed months from the due date (birth + 280 − GA days) to the as_of date, floored: negative before the due date. Known as <see cref="CorrectedAgeDays"/>.</summary>
    [RuleVisible]
    public Quantity CorrectedAgeMonths { get; init; }

    /// <summary>Postmenstrual age in days: GA days + <see cref="AgeDays"/>; known when GA is known.</summary>
    [RuleVisible]
    public Quantity PostmenstrualAgeDays { get; init; }

    /// <summary>Postmenstrual age in completed weeks; known when GA is known.</summary>
    [RuleVisible]
    public Quantity PostmenstrualAgeWeeks => PostmenstrualAgeDays.TryGetValue(out var days) ? Quantity.Of(Math.Floor(days / 7.0)) : Quantity.Unknown;

    /// <summary>Birth weight in grams, 200–7000; unknown when not given.</summary>
    [RuleVisible]
    public Quantity BirthWeightGrams { get; init; }

    /// <summary>Body temperature in °C, 30.0–45.0, finite; unknown when not measured.</summary>
    [RuleVisible]
    public Quantity TemperatureCelsius { get; init; }

    /// <summary>Minutes since the last feed, 0–10080; unknown when not given.</summary>
    [RuleVisible]
    public Quantity MinutesSinceLastFeed { get; init; }

    /// <summary>Band of the chronological age (see <see cref="Domain.AgeBand"/>).</summary>
    public required AgeBand AgeBandValue
    {
        get => _ageBand;
        init
        {
            _ageBand = value;
            AgeBand = EnumNames.Of(value);
        }
    }

    /// <summary>NEONATE, INFANT, TODDLER, CHILD or ADOLESCENT.</summary>
    [RuleVisible]
    public string AgeBand { get; private init; } = EnumNames.Of(Domain.AgeBand.Unspecified);

    /// <summary>Category of the completed weeks of gestation; Unspecified when GA is unknown.</summary>
    public required GestationCategory GestationCategoryValue
    {
        get => _gestationCategory;
        init
        {
            _gestationCategory = value;
            GestationCategory = value == Domain.GestationCategory.Unspecified ? UnknownName : EnumNames.Of(value);
        }
    }

    /// <summary>EXTREMELY_PRETERM, VERY_PRETERM, MODERATE_LATE_PRETERM, TERM, POST_TERM, or UNKNOWN.</summary>
    [RuleVisible]
    public string GestationCategory { get; private init; } = UnknownName;

    /// <summary>Category of the birth weight; Unspecified when the weight is unknown.</summary>
    public required BirthWeightCategory BirthWeightCategoryValue
    {
        get => _birthWeightCategory;
        init
        {
            _birthWeightCategory = value;
            BirthWeightCategory = value == Domain.BirthWeightCategory.Unspecified ? UnknownName : EnumNames.Of(value);
        }
    }

    /// <summary>EXTREMELY_LOW_BIRTH_WEIGHT, VERY_LOW_BIRTH_WEIGHT, LOW_BIRTH_WEIGHT, NORMAL_BIRTH_WEIGHT, or UNKNOWN.</summary>
    [RuleVisible]
    public string BirthWeightCategory { get; private init; } = UnknownName;

    /// <summary>Where the session takes place; Unspecified when not given.</summary>
    public required Setting SettingValue
    {
        get => _setting;
        init
        {
            _setting = value;
            Setting = EnumNames.Of(value);
        }
    }

    /// <summary>HOME, OUTPATIENT, INPATIENT, NICU, or UNSPECIFIED when the request does not say.</summary>
    [RuleVisible]
    public string Setting { get; private init; } = EnumNames.Of(Domain.Setting.Unspecified);

    /// <summary>Planned pressure; Unspecified when not given.</summary>
    public required Pressure PlannedPressureValue
    {
        get => _plannedPressure;
        init
        {
            _plannedPressure = value;
            PlannedPressure = EnumNames.Of(value);
        }
    }

    /// <summary>Planned pressure: LIGHT, MODERATE, FIRM, or UNSPECIFIED.</summary>
    [RuleVisible]
    public string PlannedPressure { get; private init; } = EnumNames.Of(Pressure.Unspecified);

    /// <summary>The care team has released the child for massage.</summary>
    [RuleVisible]
    public required bool MedicalRelease { get; init; }

    /// <summary>Planned areas in request order, without duplicates (WHOLE_BODY may be among them).</summary>
    public required IReadOnlyList<BodyArea> PlannedAreas
    {
        get => _plannedAreas;
        init => _plannedAreas = value as BodyArea[] ?? [.. value];
    }

    /// <summary>Recognised input conditions (active and resolved), in request order.</summary>
    public required IReadOnlyList<FactCondition> Conditions
    {
        get => _conditions;
        init => _conditions = value as FactCondition[] ?? [.. value];
    }

    /// <summary>The recognised conditions, for the evaluator's loops.</summary>
    internal ReadOnlySpan<FactCondition> ConditionSpan => _conditions;

    /// <summary>The planned areas, for the combiner's loops.</summary>
    internal ReadOnlySpan<BodyArea> PlannedAreaSpan => _plannedAreas;

    private static string UnknownName => "UNKNOWN";

    /// <summary>
    /// True when the plan includes <paramref name="area"/> (an area name such as <c>"ABDOMEN"</c>): the plan lists it,
    /// or the plan lists WHOLE_BODY, which includes every area. <c>PlansArea("WHOLE_BODY")</c> is true only when
    /// WHOLE_BODY itself is planned. The outcome combiner judges plan conflicts by the same reading
    /// (<see cref="PlanTouches"/>), so a rule that asks and the conflict it would raise agree.
    /// </summary>
    [RuleVisible]
    public bool PlansArea(string area) => EnumNames.TryParse(area, out BodyArea parsed)
        && (parsed == BodyArea.WholeBody ? Array.IndexOf(_plannedAreas, BodyArea.WholeBody) >= 0 : PlanTouches(_plannedAreas, parsed));

    /// <summary>True when an ACTIVE input condition has canonical id <paramref name="conditionId"/>.</summary>
    [RuleVisible]
    public bool Has(string conditionId)
    {
        foreach (var c in _conditions)
        {
            if (c.Status == ConditionStatus.Active && string.Equals(c.Id, conditionId, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>True when a RESOLVED input condition has canonical id <paramref name="conditionId"/>.</summary>
    [RuleVisible]
    public bool HasResolved(string conditionId)
    {
        foreach (var c in _conditions)
        {
            if (c.Status == ConditionStatus.Resolved && string.Equals(c.Id, conditionId, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// True when a condition with this id, ACTIVE or RESOLVED, has an onset date and the as_of date minus the onset
    /// date is at most <paramref name="days"/> calendar days. Dates decide recency whatever the status: records mark
    /// an immunisation or a cast "resolved" on the day it happens, and the window still applies.
    /// </summary>
    [RuleVisible]
    public bool HasWithinDays(string conditionId, int days)
    {
        foreach (var c in _conditions)
        {
            if (string.Equals(c.Id, conditionId, StringComparison.Ordinal) && c.OnsetDate is { } onset
                && AsOfDate.DayNumber - onset.DayNumber <= days)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// True when a condition with this id, ACTIVE or RESOLVED, has no onset date. The counterpart of
    /// <see cref="HasWithinDays"/>: where the date decides recency whatever the status, a record without one cannot
    /// show that the window has passed, even when it is marked resolved.
    /// </summary>
    [RuleVisible]
    public bool HasUndated(string conditionId)
    {
        foreach (var c in _conditions)
        {
            if (string.Equals(c.Id, conditionId, StringComparison.Ordinal) && c.OnsetDate is null)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// True when a plan of <paramref name="planned"/> areas touches <paramref name="area"/>: it lists that area, or it
    /// lists WHOLE_BODY (which includes every area); an avoided WHOLE_BODY is touched by any planned area.
    /// UNSPECIFIED touches nothing.
    /// </summary>
    internal static bool PlanTouches(IReadOnlyList<BodyArea> planned, BodyArea area)
    {
        if (area == BodyArea.Unspecified)
        {
            return false;
        }

        for (var i = 0; i < planned.Count; i++)
        {
            var p = planned[i];
            if (area == BodyArea.WholeBody ? p != BodyArea.Unspecified : p == area || p == BodyArea.WholeBody)
            {
                return true;
            }
        }

        return false;
    }
}
