using SafetyCheck.Core.Domain;

namespace SafetyCheck.Core.Facts;

/// <summary>
/// What rule expressions see, as the parameter <c>child</c>. Computed once per request from a validated profile and
/// the as_of instant, immutable. Ages use the calendar date of as_of in the session's time zone. Every member
/// here is part of the rule vocabulary documented in <c>rules/README.md</c>; members that may be unknown are
/// <see cref="Quantity"/> values that cannot be compared as numbers when unknown.
/// </summary>
public sealed class ChildFacts
{
    /// <summary>Creates the facts. Use <see cref="FactsDeriver"/>; this constructor does no derivation.</summary>
    public ChildFacts(ChildFactsData data)
    {
        ArgumentNullException.ThrowIfNull(data);
        Data = data;
        GestationalAgeWeeks = data.GestationalAgeDays is { } ga ? Quantity.Of(ga / 7) : Quantity.Unknown;
        GestationalAgeDays = Quantity.From(data.GestationalAgeDays);
        CorrectedAgeDays = Quantity.From(data.CorrectedAgeDays);
        CorrectedAgeMonths = Quantity.From(data.CorrectedAgeMonths);
        PostmenstrualAgeDays = Quantity.From(data.PostmenstrualAgeDays);
        PostmenstrualAgeWeeks = data.PostmenstrualAgeDays is { } pma ? Quantity.Of(Math.Floor(pma / 7.0)) : Quantity.Unknown;
        BirthWeightGrams = Quantity.From(data.BirthWeightGrams);
        TemperatureCelsius = Quantity.From(data.TemperatureCelsius);
        MinutesSinceLastFeed = Quantity.From(data.MinutesSinceLastFeed);
    }

    /// <summary>The raw derived values, for C# callers (mapping, audit). Not part of the rule vocabulary.</summary>
    public ChildFactsData Data { get; }

    /// <summary>Chronological age in days from birth to the as_of date (0 on the day of birth).</summary>
    public int AgeDays => Data.AgeDays;

    /// <summary>Chronological age in completed calendar months.</summary>
    public int AgeMonths => Data.AgeMonths;

    /// <summary>Chronological age in completed years.</summary>
    public int AgeYears => Data.AgeYears;

    /// <summary>
    /// Age for the infant rows, in days: corrected age when gestational age is known and below 37 weeks and the
    /// child is younger than the corrected-age cut-off; chronological age otherwise. May be negative.
    /// </summary>
    public int InfantAgeDays => Data.InfantAgeDays;

    /// <summary>Age for the infant rows in completed months (see <see cref="InfantAgeDays"/>). May be negative.</summary>
    public int InfantAgeMonths => Data.InfantAgeMonths;

    /// <summary>Gestational age at birth in completed weeks; unknown when not given.</summary>
    public Quantity GestationalAgeWeeks { get; }

    /// <summary>Gestational age at birth in days (weeks × 7 + days); unknown when not given.</summary>
    public Quantity GestationalAgeDays { get; }

    /// <summary>True when gestational age at birth is known (given, or named by a preterm-weeks code).</summary>
    public bool GestationKnown => Data.GestationalAgeDays is not null;

    /// <summary>Corrected age in days; known only when gestational age is known and below 37 weeks. May be negative.</summary>
    public Quantity CorrectedAgeDays { get; }

    /// <summary>Corrected age in completed months counted from the due date; known as <see cref="CorrectedAgeDays"/>.</summary>
    public Quantity CorrectedAgeMonths { get; }

    /// <summary>Postmenstrual age in days (gestational age at birth + chronological age); known when GA is known.</summary>
    public Quantity PostmenstrualAgeDays { get; }

    /// <summary>Postmenstrual age in completed weeks; known when GA is known.</summary>
    public Quantity PostmenstrualAgeWeeks { get; }

    /// <summary>Birth weight in grams; unknown when not given.</summary>
    public Quantity BirthWeightGrams { get; }

    /// <summary>Body temperature in °C; unknown when not measured.</summary>
    public Quantity TemperatureCelsius { get; }

    /// <summary>Minutes since the last feed; unknown when not given.</summary>
    public Quantity MinutesSinceLastFeed { get; }

    /// <summary>NEONATE, INFANT, TODDLER, CHILD or ADOLESCENT.</summary>
    public string AgeBand => EnumNames.Of(Data.AgeBand);

    /// <summary>EXTREMELY_PRETERM, VERY_PRETERM, MODERATE_LATE_PRETERM, TERM, POST_TERM, or UNKNOWN.</summary>
    public string GestationCategory => Data.GestationCategory == Domain.GestationCategory.Unspecified ? "UNKNOWN" : EnumNames.Of(Data.GestationCategory);

    /// <summary>EXTREMELY_LOW_BIRTH_WEIGHT, VERY_LOW_BIRTH_WEIGHT, LOW_BIRTH_WEIGHT, NORMAL_BIRTH_WEIGHT, or UNKNOWN.</summary>
    public string BirthWeightCategory => Data.BirthWeightCategory == Domain.BirthWeightCategory.Unspecified ? "UNKNOWN" : EnumNames.Of(Data.BirthWeightCategory);

    /// <summary>HOME, OUTPATIENT, INPATIENT, NICU, or UNSPECIFIED when the request does not say.</summary>
    public string Setting => EnumNames.Of(Data.Setting);

    /// <summary>Planned pressure: LIGHT, MODERATE, FIRM, or UNSPECIFIED.</summary>
    public string PlannedPressure => EnumNames.Of(Data.PlannedPressure);

    /// <summary>The care team has released the child for massage.</summary>
    public bool MedicalRelease => Data.MedicalRelease;

    /// <summary>
    /// True when the plan includes <paramref name="area"/> (an area name such as <c>"ABDOMEN"</c>): the plan lists it,
    /// or the plan lists WHOLE_BODY, which includes every area. <c>PlansArea("WHOLE_BODY")</c> is true only when
    /// WHOLE_BODY itself is planned. The outcome combiner judges plan conflicts by the same reading
    /// (<see cref="PlanTouches"/>), so a rule that asks and the conflict it would raise agree.
    /// </summary>
    public bool PlansArea(string area) => EnumNames.TryParse(area, out BodyArea parsed)
        && (parsed == BodyArea.WholeBody ? Data.PlannedAreas.Contains(BodyArea.WholeBody) : PlanTouches(Data.PlannedAreas, parsed));

    /// <summary>True when an ACTIVE input condition has canonical id <paramref name="conditionId"/>.</summary>
    public bool Has(string conditionId) => Data.Conditions.Any(c => c.Status == ConditionStatus.Active && c.Id == conditionId);

    /// <summary>True when a RESOLVED input condition has canonical id <paramref name="conditionId"/>.</summary>
    public bool HasResolved(string conditionId) => Data.Conditions.Any(c => c.Status == ConditionStatus.Resolved && c.Id == conditionId);

    /// <summary>
    /// True when a condition with this id, ACTIVE or RESOLVED, has an onset date and the as_of date minus the onset
    /// date is at most <paramref name="days"/> calendar days. Dates decide recency whatever the status: records mark
    /// an immunisation or a cast "resolved" on the day it happens, and the window still applies.
    /// </summary>
    public bool HasWithinDays(string conditionId, int days) => Data.Conditions.Any(c =>
        c.Id == conditionId && c.OnsetDate is { } onset
        && Data.AsOfDate.DayNumber - onset.DayNumber <= days);

    /// <summary>True when an ACTIVE condition with this id has no onset date.</summary>
    public bool HasUndated(string conditionId) => Data.Conditions.Any(c =>
        c.Status == ConditionStatus.Active && c.Id == conditionId && c.OnsetDate is null);

    /// <summary>
    /// True when a plan of <paramref name="planned"/> areas touches <paramref name="area"/>: it lists that area, or it
    /// lists WHOLE_BODY (which includes every area); an avoided WHOLE_BODY is touched by any planned area.
    /// UNSPECIFIED touches nothing.
    /// </summary>
    internal static bool PlanTouches(IReadOnlyCollection<BodyArea> planned, BodyArea area) => area switch
    {
        BodyArea.Unspecified => false,
        BodyArea.WholeBody => planned.Any(p => p != BodyArea.Unspecified),
        _ => planned.Contains(area) || planned.Contains(BodyArea.WholeBody),
    };
}
