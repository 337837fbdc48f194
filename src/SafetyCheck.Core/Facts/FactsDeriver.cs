using SafetyCheck.Core.Catalog;
using SafetyCheck.Core.Domain;
using SafetyCheck.Core.Profiles;

namespace SafetyCheck.Core.Facts;

/// <summary>Derives <see cref="ChildFacts"/> from a validated profile at its as_of instant.</summary>
/// <remarks>
/// <list type="bullet">
/// <item>The as_of date is the calendar date of <see cref="PlannedSession.AsOf"/> in <see cref="PlannedSession.TimeZoneId"/>.</item>
/// <item>Ages: days = as_of date − birth date; months and years are completed calendar months and years as
/// <see cref="CalendarMath"/> defines them (day-of-month reached, clamped to month end; born 29 February turns one
/// on 28 February of a non-leap year).</item>
/// <item>Gestational age: the profile's when given; otherwise the smallest completed weeks named by a recognised
/// preterm-weeks code (P07.2x/P07.3x), as weeks × 7 days; otherwise unknown.</item>
/// <item>Corrected age (GA known and below <see cref="FactsOptions.TermGestationWeeks"/> completed weeks only): days = age days − (280 − GA days); months = completed
/// months from the due date (birth + 280 − GA days) to the as_of date, floored, so negative before the due date.</item>
/// <item>Postmenstrual age (GA known): GA days + age days.</item>
/// <item>Infant age: corrected when it is known and the chronological age is below
/// <see cref="FactsOptions.CorrectedAgeCutoffMonths"/> completed months; chronological otherwise.</item>
/// </list>
/// </remarks>
public static class FactsDeriver
{
    /// <summary>Term as gestational age in days: 40 weeks.</summary>
    private const int TermDays = 280;

    /// <summary>Derives the facts and sorts input codes into recognised and unrecognised.</summary>
    /// <exception cref="ArgumentException">The profile was not validated: unknown time zone, or birth after as_of.</exception>
    public static FactsDerivation Derive(ChildProfile profile, ICodeResolver catalog, FactsOptions options)
    {
        ArgumentNullException.ThrowIfNull(profile);
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfNegative(options.CorrectedAgeCutoffMonths, nameof(options));
        ArgumentOutOfRangeException.ThrowIfLessThan(options.TermGestationWeeks, FactsOptions.MinTermGestationWeeks, nameof(options));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(options.TermGestationWeeks, FactsOptions.MaxTermGestationWeeks, nameof(options));

        var asOf = AsOfDate(profile.Session);
        var birth = profile.BirthDate;
        if (birth > asOf)
        {
            throw new ArgumentException("The birth date is after the as_of date; validate the request first.", nameof(profile));
        }

        var ageDays = asOf.DayNumber - birth.DayNumber;
        var ageMonths = CalendarMath.CompletedMonths(birth, asOf);
        var ageYears = ageMonths / 12;

        // Conditions are few (at most 100): one array of the request's size, trimmed only when a code is unrecognised.
        var sent = profile.Conditions;
        var conditions = sent.Count == 0 ? [] : new FactCondition[sent.Count];
        var recognised = 0;
        List<ProfileCondition>? unrecognized = null;
        int? codedWeeks = null;
        for (var i = 0; i < sent.Count; i++)
        {
            var condition = sent[i];
            var match = catalog.Resolve(condition.System, condition.Code);
            if (match is null)
            {
                (unrecognized ??= []).Add(condition);
                continue;
            }

            // Unspecified is read as active (the validator already does this; a hand-built profile may not).
            var status = condition.Status == ConditionStatus.Unspecified ? ConditionStatus.Active : condition.Status;
            conditions[recognised++] = new FactCondition(match.ConditionId, status, condition.OnsetDate, condition.BodySite, condition.System, condition.Code);
            if (match.GestationalWeeks is { } weeks && (codedWeeks is null || weeks < codedWeeks))
            {
                codedWeeks = weeks;
            }
        }

        if (recognised < conditions.Length)
        {
            Array.Resize(ref conditions, recognised);
        }

        var gestationalAgeDays = profile.GestationalAgeAtBirth?.TotalDays ?? (codedWeeks * 7);

        int? correctedDays = null;
        int? correctedMonths = null;
        // Preterm: below the term in completed weeks, i.e. below term × 7 days (259 days for 37 weeks), as the
        // expressions' GestationalAgeWeeks.Below(termGestationWeeks) reads it.
        if (gestationalAgeDays is { } gaDays && gaDays < options.TermGestationWeeks * 7)
        {
            var shortfall = TermDays - gaDays;
            correctedDays = ageDays - shortfall;
            correctedMonths = CalendarMath.CompletedMonths(birth.DayNumber + shortfall, asOf.DayNumber);
        }

        var useCorrected = correctedDays is not null && ageMonths < options.CorrectedAgeCutoffMonths;

        var facts = new ChildFacts
        {
            AsOfDate = asOf,
            AgeDays = ageDays,
            AgeMonths = ageMonths,
            AgeYears = ageYears,
            InfantAgeDays = useCorrected ? correctedDays!.Value : ageDays,
            InfantAgeMonths = useCorrected ? correctedMonths!.Value : ageMonths,
            GestationalAgeDays = Quantity.From(gestationalAgeDays),
            CorrectedAgeDays = Quantity.From(correctedDays),
            CorrectedAgeMonths = Quantity.From(correctedMonths),
            PostmenstrualAgeDays = Quantity.From(gestationalAgeDays + ageDays),
            BirthWeightGrams = Quantity.From(profile.BirthWeightGrams),
            TemperatureCelsius = Quantity.From(profile.TemperatureCelsius),
            MinutesSinceLastFeed = Quantity.From(profile.MinutesSinceLastFeed),
            AgeBandValue = AgeBandOf(ageDays, ageMonths, ageYears),
            GestationCategoryValue = GestationCategoryOf(gestationalAgeDays, options.TermGestationWeeks),
            BirthWeightCategoryValue = BirthWeightCategoryOf(profile.BirthWeightGrams),
            SettingValue = profile.Session.Setting,
            PlannedPressureValue = profile.Session.Pressure,
            MedicalRelease = profile.Session.MedicalRelease,
            PlannedAreas = profile.Session.Areas,
            Conditions = conditions,
        };

        return new FactsDerivation(facts, unrecognized is null ? [] : unrecognized);
    }

    /// <summary>The calendar date of the session's as_of instant in its time zone.</summary>
    private static DateOnly AsOfDate(PlannedSession session)
    {
        if (!TimeZones.TryFind(session.TimeZoneId, out var zone))
        {
            throw new ArgumentException($"Unknown time zone '{session.TimeZoneId}'; validate the request first.", nameof(session));
        }

        return CalendarMath.TryGetLocalDate(session.AsOf, zone, out var date)
            ? date
            : throw new ArgumentException("The as_of instant has no calendar date in its time zone; validate the request first.", nameof(session));
    }

    /// <summary>Neonate 0–27 days; infant 28 days to under 12 months; toddler 12 to under 36 months; child 3 to under 12 years; adolescent from 12 years.</summary>
    private static AgeBand AgeBandOf(int ageDays, int ageMonths, int ageYears) => ageDays switch
    {
        <= 27 => AgeBand.Neonate,
        _ when ageMonths < 12 => AgeBand.Infant,
        _ when ageMonths < 36 => AgeBand.Toddler,
        _ when ageYears < 12 => AgeBand.Child,
        _ => AgeBand.Adolescent,
    };

    /// <summary>
    /// By completed weeks: under 28, 28 to under 32, 32 to under <paramref name="termWeeks"/> (37 as shipped), term from
    /// there to under 42, 42 or more; unknown GA is Unspecified. Term starts where the corrected age stops (both at
    /// <paramref name="termWeeks"/>), so a baby in a preterm category is exactly one with a corrected age.
    /// </summary>
    private static GestationCategory GestationCategoryOf(int? gestationalAgeDays, int termWeeks) => (gestationalAgeDays / 7) switch
    {
        null => GestationCategory.Unspecified,
        < 28 => GestationCategory.ExtremelyPreterm,
        < 32 => GestationCategory.VeryPreterm,
        { } weeks when weeks < termWeeks => GestationCategory.ModerateLatePreterm,
        < 42 => GestationCategory.Term,
        _ => GestationCategory.PostTerm,
    };

    /// <summary>Under 1000 g, under 1500 g, under 2500 g, otherwise normal; unknown weight is Unspecified.</summary>
    private static BirthWeightCategory BirthWeightCategoryOf(int? grams) => grams switch
    {
        null => BirthWeightCategory.Unspecified,
        < 1000 => BirthWeightCategory.ExtremelyLowBirthWeight,
        < 1500 => BirthWeightCategory.VeryLowBirthWeight,
        < 2500 => BirthWeightCategory.LowBirthWeight,
        _ => BirthWeightCategory.NormalBirthWeight,
    };
}
