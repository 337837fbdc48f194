using System.Text.Json.Nodes;
using SafetyCheck.Audit.Json;
using SafetyCheck.Core.Domain;
using SafetyCheck.Core.Facts;
using static SafetyCheck.Audit.Records.JsonMembers;

namespace SafetyCheck.Audit.Records;

/// <summary>
/// The <c>facts</c> member of a decision record. v1 writes every fact, unknown ones as <c>null</c>. v2 leaves out a
/// fact at its default, which the schema defines: unknown (<c>null</c>), <c>UNSPECIFIED</c>, <c>false</c> or empty; and
/// for four facts a formula over facts it does write — <c>age_years</c> = <c>age_months</c> / 12 (integer division),
/// <c>infant_age_days</c> = <c>corrected_age_days</c> when known, else <c>age_days</c> (and <c>infant_age_months</c>
/// likewise from the months), and <c>postmenstrual_age_days</c> = <c>gestational_age_days</c> + <c>age_days</c>
/// (unknown when the gestational age is).
/// A fact that differs from its formula is written, so a record always reads back exactly as the rules saw it.
/// Conditions are <c>{body_site, id, onset_date, ref, status}</c> with <c>ref</c> a <see cref="CodeRefs"/> reference and
/// <c>status</c> left out when ACTIVE.
/// </summary>
internal static class FactsJson
{
    public static void Write(CanonicalJsonWriter w, ChildFacts f)
    {
        w.WriteStartObject();
        WriteEnum(w, "age_band", f.AgeBandValue);
        w.WriteNumber("age_days", f.AgeDays);
        w.WriteNumber("age_months", f.AgeMonths);
        if (f.AgeYears != f.AgeMonths / 12)
        {
            w.WriteNumber("age_years", f.AgeYears);
        }

        w.WritePropertyName("as_of_date");
        w.WriteDateValue(f.AsOfDate);
        WriteEnum(w, "birth_weight_category", f.BirthWeightCategoryValue);
        WriteKnown(w, "birth_weight_grams", f.BirthWeightGrams);
        if (f.Conditions.Count > 0)
        {
            w.WritePropertyName("conditions");
            w.WriteStartArray();
            for (var i = 0; i < f.Conditions.Count; i++)
            {
                var c = f.Conditions[i];
                WriteCondition(w, c);
            }

            w.WriteEndArray();
        }

        var correctedAgeDays = f.CorrectedAgeDays.ToNullableInt32();
        var correctedAgeMonths = f.CorrectedAgeMonths.ToNullableInt32();
        WriteKnown(w, "corrected_age_days", f.CorrectedAgeDays);
        WriteKnown(w, "corrected_age_months", f.CorrectedAgeMonths);
        WriteEnum(w, "gestation_category", f.GestationCategoryValue);
        WriteKnown(w, "gestational_age_days", f.GestationalAgeDays);
        if (f.InfantAgeDays != (correctedAgeDays ?? f.AgeDays))
        {
            w.WriteNumber("infant_age_days", f.InfantAgeDays);
        }

        if (f.InfantAgeMonths != (correctedAgeMonths ?? f.AgeMonths))
        {
            w.WriteNumber("infant_age_months", f.InfantAgeMonths);
        }

        if (f.MedicalRelease)
        {
            w.WritePropertyName("medical_release");
            w.WriteBooleanValue(true);
        }

        WriteKnown(w, "minutes_since_last_feed", f.MinutesSinceLastFeed);
        if (f.PlannedAreas.Count > 0)
        {
            w.WritePropertyName("planned_areas");
            w.WriteStartArray();
            for (var i = 0; i < f.PlannedAreas.Count; i++)
            {
                var area = f.PlannedAreas[i];
                w.WriteStringValue(EnumNames.Of(area));
            }

            w.WriteEndArray();
        }

        WriteEnum(w, "planned_pressure", f.PlannedPressureValue);
        var postmenstrualAgeDays = f.PostmenstrualAgeDays.ToNullableInt32();
        if (postmenstrualAgeDays != DefaultPostmenstrualAgeDays(f.GestationalAgeDays.ToNullableInt32(), f.AgeDays))
        {
            w.WritePropertyName("postmenstrual_age_days");
            WriteNullable(w, postmenstrualAgeDays);
        }

        WriteEnum(w, "setting", f.SettingValue);
        if (f.TemperatureCelsius.TryGetValue(out var celsius))
        {
            w.WritePropertyName("temperature_celsius");
            w.WriteNumberValue(celsius);
        }

        w.WriteEndObject();
    }

    public static ChildFacts ReadV2(JsonObject f)
    {
        var ageDays = Int(f, "age_days");
        var ageMonths = Int(f, "age_months");
        var gestationalAgeDays = Has(f, "gestational_age_days") ? OptionalInt(f, "gestational_age_days") : null;
        var correctedAgeDays = Has(f, "corrected_age_days") ? OptionalInt(f, "corrected_age_days") : null;
        var correctedAgeMonths = Has(f, "corrected_age_months") ? OptionalInt(f, "corrected_age_months") : null;
        return new ChildFacts
        {
            AsOfDate = AuditTime.ReadDate(Str(f, "as_of_date")),
            AgeDays = ageDays,
            AgeMonths = ageMonths,
            AgeYears = Has(f, "age_years") ? Int(f, "age_years") : ageMonths / 12,
            InfantAgeDays = Has(f, "infant_age_days") ? Int(f, "infant_age_days") : correctedAgeDays ?? ageDays,
            InfantAgeMonths = Has(f, "infant_age_months") ? Int(f, "infant_age_months") : correctedAgeMonths ?? ageMonths,
            GestationalAgeDays = Quantity.From(gestationalAgeDays),
            CorrectedAgeDays = Quantity.From(correctedAgeDays),
            CorrectedAgeMonths = Quantity.From(correctedAgeMonths),
            PostmenstrualAgeDays = Quantity.From(Has(f, "postmenstrual_age_days")
                ? OptionalInt(f, "postmenstrual_age_days")
                : DefaultPostmenstrualAgeDays(gestationalAgeDays, ageDays)),
            BirthWeightGrams = Quantity.From(Has(f, "birth_weight_grams") ? OptionalInt(f, "birth_weight_grams") : null),
            TemperatureCelsius = Quantity.From(Has(f, "temperature_celsius") ? Member(f, "temperature_celsius")?.GetValue<double>() : null),
            MinutesSinceLastFeed = Quantity.From(Has(f, "minutes_since_last_feed") ? OptionalInt(f, "minutes_since_last_feed") : null),
            AgeBandValue = Has(f, "age_band") ? Enum<AgeBand>(f, "age_band") : default,
            GestationCategoryValue = Has(f, "gestation_category") ? Enum<GestationCategory>(f, "gestation_category") : default,
            BirthWeightCategoryValue = Has(f, "birth_weight_category") ? Enum<BirthWeightCategory>(f, "birth_weight_category") : default,
            SettingValue = Has(f, "setting") ? Enum<Setting>(f, "setting") : default,
            PlannedPressureValue = Has(f, "planned_pressure") ? Enum<Pressure>(f, "planned_pressure") : default,
            MedicalRelease = Has(f, "medical_release") && Bool(f, "medical_release"),
            PlannedAreas = Has(f, "planned_areas") ? [.. Strings(f, "planned_areas").Select(ParseEnum<BodyArea>)] : [],
            Conditions = Has(f, "conditions") ? Items(f, "conditions", ReadConditionV2) : [],
        };
    }

    public static ChildFacts ReadV1(JsonObject f) => new()
    {
        AsOfDate = AuditTime.ReadDate(Str(f, "as_of_date")),
        AgeDays = Int(f, "age_days"),
        AgeMonths = Int(f, "age_months"),
        AgeYears = Int(f, "age_years"),
        InfantAgeDays = Int(f, "infant_age_days"),
        InfantAgeMonths = Int(f, "infant_age_months"),
        GestationalAgeDays = Quantity.From(OptionalInt(f, "gestational_age_days")),
        CorrectedAgeDays = Quantity.From(OptionalInt(f, "corrected_age_days")),
        CorrectedAgeMonths = Quantity.From(OptionalInt(f, "corrected_age_months")),
        PostmenstrualAgeDays = Quantity.From(OptionalInt(f, "postmenstrual_age_days")),
        BirthWeightGrams = Quantity.From(OptionalInt(f, "birth_weight_grams")),
        TemperatureCelsius = Quantity.From(Member(f, "temperature_celsius")?.GetValue<double>()),
        MinutesSinceLastFeed = Quantity.From(OptionalInt(f, "minutes_since_last_feed")),
        AgeBandValue = Enum<AgeBand>(f, "age_band"),
        GestationCategoryValue = Enum<GestationCategory>(f, "gestation_category"),
        BirthWeightCategoryValue = Enum<BirthWeightCategory>(f, "birth_weight_category"),
        SettingValue = Enum<Setting>(f, "setting"),
        PlannedPressureValue = Enum<Pressure>(f, "planned_pressure"),
        MedicalRelease = Bool(f, "medical_release"),
        PlannedAreas = [.. Strings(f, "planned_areas").Select(ParseEnum<BodyArea>)],
        Conditions = Items(f, "conditions", c => new FactCondition(
            Str(c, "id"),
            Enum<ConditionStatus>(c, "status"),
            Member(c, "onset_date") is { } onset ? AuditTime.ReadDate(onset.GetValue<string>()) : null,
            Member(c, "body_site") is { } site ? ParseEnum<BodyArea>(site.GetValue<string>()) : null,
            Str(c, "system"),
            Str(c, "code"))),
    };

    /// <summary>A coded reference member: <c>ref</c> in <see cref="CodeRefs"/> form.</summary>
    public static void WriteRef(CanonicalJsonWriter w, string system, string code)
    {
        w.WritePropertyName("ref");
        w.WriteStringValue(CodeRefs.SystemPart(system), '|', code);
    }

    /// <summary>A <c>status</c> member, left out when ACTIVE.</summary>
    public static void WriteStatus(CanonicalJsonWriter w, ConditionStatus status)
    {
        if (status != ConditionStatus.Active)
        {
            w.WriteString("status", EnumNames.Of(status));
        }
    }

    public static ConditionStatus ReadStatus(JsonObject obj) =>
        Has(obj, "status") ? Enum<ConditionStatus>(obj, "status") : ConditionStatus.Active;

    private static int? DefaultPostmenstrualAgeDays(int? gestationalAgeDays, int ageDays) => gestationalAgeDays + ageDays;

    private static void WriteCondition(CanonicalJsonWriter w, FactCondition c)
    {
        w.WriteStartObject();
        if (c.BodySite is { } site)
        {
            w.WriteString("body_site", EnumNames.Of(site));
        }

        w.WriteString("id", c.Id);
        if (c.OnsetDate is { } onset)
        {
            w.WritePropertyName("onset_date");
            w.WriteDateValue(onset);
        }

        WriteRef(w, c.System, c.Code);
        WriteStatus(w, c.Status);
        w.WriteEndObject();
    }

    private static FactCondition ReadConditionV2(JsonObject c)
    {
        var (system, code) = CodeRefs.Parse(Str(c, "ref"));
        return new FactCondition(
            Str(c, "id"),
            ReadStatus(c),
            Has(c, "onset_date") ? AuditTime.ReadDate(Str(c, "onset_date")) : null,
            Has(c, "body_site") ? Enum<BodyArea>(c, "body_site") : null,
            system,
            code);
    }

    private static void WriteEnum<T>(CanonicalJsonWriter w, string name, T value)
        where T : struct, Enum
    {
        if (!EqualityComparer<T>.Default.Equals(value, default))
        {
            w.WriteString(name, EnumNames.Of(value));
        }
    }

    /// <summary>A whole-number quantity, left out when unknown.</summary>
    private static void WriteKnown(CanonicalJsonWriter w, string name, Quantity value)
    {
        if (value.ToNullableInt32() is { } known)
        {
            w.WriteNumber(name, known);
        }
    }

    private static void WriteNullable(CanonicalJsonWriter w, int? value)
    {
        if (value is { } known)
        {
            w.WriteNumberValue(known);
        }
        else
        {
            w.WriteNullValue();
        }
    }
}
