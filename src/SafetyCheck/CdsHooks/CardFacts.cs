using System.Globalization;
using SafetyCheck.Core.Domain;
using SafetyCheck.Core.Facts;

namespace SafetyCheck.CdsHooks;

/// <summary>
/// The child's facts as a clinician writes them on a card: ages in days, weeks, months or years; gestation and
/// postmenstrual age as weeks+days; a precaution's triggers as readable names with their values (<c>body temperature
/// 38.4 °C</c>) and conditions with their status, onset and site, never an internal fact name alone.
/// </summary>
internal static class CardFacts
{
    /// <summary>A chronological age: days under 4 weeks, weeks under 3 months, months under 2 years, then years (and months under 5).</summary>
    public static string Age(int days, int months, int years)
    {
        if (days < 28)
        {
            return Plural(days, "day");
        }

        if (months < 3)
        {
            var weeks = days / 7;
            var rest = days % 7;
            return rest == 0 ? Plural(weeks, "week") : $"{Plural(weeks, "week")} {Plural(rest, "day")}";
        }

        if (months < 24)
        {
            return Plural(months, "month");
        }

        var extra = months - (years * 12);
        return years < 5 && extra > 0 ? $"{Plural(years, "year")} {Plural(extra, "month")}" : Plural(years, "year");
    }

    /// <summary>Weeks and days as neonatal notes write them: <c>36+2 weeks</c>.</summary>
    public static string WeeksAndDays(double days)
    {
        var whole = (int)Math.Floor(days);
        return string.Create(CultureInfo.InvariantCulture, $"{whole / 7}+{whole % 7} weeks");
    }

    /// <summary>
    /// The child line of the verdict card: band, age, and for a preterm baby the corrected age, or before the due date
    /// (corrected age negative) the postmenstrual age; then gestation at birth and birth weight when known.
    /// </summary>
    public static string Child(ChildFacts facts)
    {
        ArgumentNullException.ThrowIfNull(facts);
        var text = $"{CardText.Words(facts.AgeBandValue)}, {Age(facts.AgeDays, facts.AgeMonths, facts.AgeYears)} old";
        if (facts.CorrectedAgeDays.TryGetValue(out var corrected))
        {
            if (corrected < 0 && facts.PostmenstrualAgeDays.TryGetValue(out var pma))
            {
                text += $" (postmenstrual age {WeeksAndDays(pma)}, before the due date)";
            }
            else if (corrected >= 0)
            {
                var correctedDays = (int)corrected;
                var correctedMonths = facts.CorrectedAgeMonths.TryGetValue(out var m) ? (int)m : correctedDays / 30;
                text += $" ({Age(correctedDays, correctedMonths, correctedMonths / 12)} corrected)";
            }
        }

        if (facts.GestationalAgeDays.TryGetValue(out var ga))
        {
            text += $", born at {WeeksAndDays(ga)}";
            if (facts.GestationCategoryValue != GestationCategory.Unspecified)
            {
                text += $" ({CardText.Words(facts.GestationCategoryValue)})";
            }
        }

        if (facts.BirthWeightGrams.TryGetValue(out var grams))
        {
            text += string.Create(CultureInfo.InvariantCulture, $", birth weight {grams:0} g");
        }

        return text;
    }

    /// <summary>
    /// What made a precaution fire, readable: <c>child.TemperatureCelsius</c> becomes <c>body temperature 38.4 °C</c>;
    /// a <c>system|code</c> gets the condition's status, onset date and site from the facts. Anything else is shown as sent.
    /// </summary>
    public static string Trigger(string trigger, ChildFacts facts)
    {
        ArgumentNullException.ThrowIfNull(trigger);
        ArgumentNullException.ThrowIfNull(facts);
        if (trigger.StartsWith("child.", StringComparison.Ordinal))
        {
            return Fact(trigger["child.".Length..], facts) ?? trigger;
        }

        var condition = facts.Conditions.FirstOrDefault(c => string.Equals(c.Reference, trigger, StringComparison.Ordinal));
        if (condition is null)
        {
            return trigger;
        }

        var parts = new List<string> { condition.Status == ConditionStatus.Resolved ? "resolved" : "active" };
        parts.Add(condition.OnsetDate is { } onset ? $"onset {onset.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}" : "no onset date");
        if (condition.BodySite is { } site && site != BodyArea.Unspecified)
        {
            parts.Add("site " + EnumNames.Of(site));
        }

        return $"{trigger} ({string.Join(", ", parts)})";
    }

    private static string? Fact(string name, ChildFacts facts) => name switch
    {
        nameof(ChildFacts.TemperatureCelsius) => Known(facts.TemperatureCelsius, v => string.Create(CultureInfo.InvariantCulture, $"body temperature {v:0.0} °C"), "body temperature"),
        nameof(ChildFacts.MinutesSinceLastFeed) => Known(facts.MinutesSinceLastFeed, v => string.Create(CultureInfo.InvariantCulture, $"last feed {v:0} minutes before the session"), "time since the last feed"),
        nameof(ChildFacts.BirthWeightGrams) => Known(facts.BirthWeightGrams, v => string.Create(CultureInfo.InvariantCulture, $"birth weight {v:0} g"), "birth weight"),
        nameof(ChildFacts.GestationalAgeDays) or nameof(ChildFacts.GestationalAgeWeeks) or nameof(ChildFacts.GestationKnown) =>
            Known(facts.GestationalAgeDays, v => "gestational age at birth " + WeeksAndDays(v), "gestational age at birth"),
        nameof(ChildFacts.PostmenstrualAgeDays) or nameof(ChildFacts.PostmenstrualAgeWeeks) =>
            Known(facts.PostmenstrualAgeDays, v => "postmenstrual age " + WeeksAndDays(v), "postmenstrual age"),
        nameof(ChildFacts.CorrectedAgeDays) or nameof(ChildFacts.CorrectedAgeMonths) => Known(
            facts.CorrectedAgeDays,
            v => v < 0 && facts.PostmenstrualAgeDays.TryGetValue(out var pma)
                ? $"corrected age: before the due date (postmenstrual age {WeeksAndDays(pma)})"
                : "corrected age " + Age((int)v, facts.CorrectedAgeMonths.TryGetValue(out var m) ? (int)m : (int)v / 30, (facts.CorrectedAgeMonths.TryGetValue(out var y) ? (int)y : (int)v / 30) / 12),
            "corrected age"),
        nameof(ChildFacts.AgeDays) or nameof(ChildFacts.AgeMonths) or nameof(ChildFacts.AgeYears) or nameof(ChildFacts.AgeBand) =>
            $"age {Age(facts.AgeDays, facts.AgeMonths, facts.AgeYears)} ({CardText.Words(facts.AgeBandValue)})",
        nameof(ChildFacts.InfantAgeDays) or nameof(ChildFacts.InfantAgeMonths) => facts.InfantAgeDays < 0 && facts.PostmenstrualAgeDays.TryGetValue(out var pmaDays)
            ? $"age for infant rules: before the due date (postmenstrual age {WeeksAndDays(pmaDays)})"
            : $"age for infant rules {Age(facts.InfantAgeDays, facts.InfantAgeMonths, facts.InfantAgeMonths / 12)}{(facts.CorrectedAgeDays.IsKnown ? " (corrected for prematurity)" : "")}",
        nameof(ChildFacts.GestationCategory) => "gestation " + (facts.GestationCategoryValue == GestationCategory.Unspecified ? "unknown" : CardText.Words(facts.GestationCategoryValue)),
        nameof(ChildFacts.BirthWeightCategory) => "birth weight " + (facts.BirthWeightCategoryValue == BirthWeightCategory.Unspecified ? "unknown" : CardText.Words(facts.BirthWeightCategoryValue)),
        nameof(ChildFacts.Setting) => "setting " + (facts.SettingValue == Setting.Unspecified ? "not given" : facts.Setting),
        nameof(ChildFacts.PlannedPressure) => "planned pressure " + (facts.PlannedPressureValue == Pressure.Unspecified ? "not given" : CardText.Words(facts.PlannedPressureValue)),
        nameof(ChildFacts.MedicalRelease) => facts.MedicalRelease ? "released for massage by the care team" : "no medical release from the care team",
        nameof(ChildFacts.PlannedAreas) or nameof(ChildFacts.PlansArea) => facts.PlannedAreas.Count == 0 ? "planned areas not given" : "planned areas " + string.Join(", ", facts.PlannedAreas.Select(EnumNames.Of)),
        _ => null,
    };

    private static string Known(Quantity quantity, Func<double, string> text, string name) =>
        quantity.TryGetValue(out var value) ? text(value) : name + " not known";

    private static string Plural(int count, string unit) =>
        string.Create(CultureInfo.InvariantCulture, $"{count} {unit}{(count == 1 ? "" : "s")}");
}
