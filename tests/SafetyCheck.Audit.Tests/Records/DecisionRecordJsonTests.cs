using System.Text.Json.Nodes;
using SafetyCheck.Audit.Json;
using SafetyCheck.Audit.Records;
using SafetyCheck.Audit.Storage;
using SafetyCheck.Core.Domain;
using SafetyCheck.Core.Evaluation;
using SafetyCheck.Core.Facts;

namespace SafetyCheck.Audit.Tests.Records;

/// <summary>Schema v2 as written: canonical by construction, defaults left out, every value read back exactly.</summary>
public class DecisionRecordJsonTests
{
    private static readonly ChildFacts TermChild = new()
    {
        AsOfDate = new DateOnly(2026, 3, 2),
        AgeDays = 2423,
        AgeMonths = 79,
        AgeYears = 6,
        InfantAgeDays = 2423,
        InfantAgeMonths = 79,
        AgeBandValue = AgeBand.Child,
        GestationCategoryValue = GestationCategory.Unspecified,
        BirthWeightCategoryValue = BirthWeightCategory.Unspecified,
        SettingValue = Setting.Unspecified,
        PlannedPressureValue = Pressure.Unspecified,
        MedicalRelease = false,
        PlannedAreas = [],
        Conditions = [],
    };

    /// <summary>Born at 30+3 weeks, 18 days old: every fact with a formula follows it.</summary>
    private static readonly ChildFacts PretermChild = TermChild with
    {
        AgeDays = 18,
        AgeMonths = 0,
        AgeYears = 0,
        GestationalAgeDays = Quantity.From(213),
        CorrectedAgeDays = Quantity.From(-49),
        CorrectedAgeMonths = Quantity.From(-2),
        InfantAgeDays = -49,
        InfantAgeMonths = -2,
        PostmenstrualAgeDays = Quantity.From(231),
    };

    private static readonly DecisionRecordDraft Minimal = new()
    {
        DecisionId = "01900000-0000-7000-8000-000000000001",
        RecordedAt = new DateTimeOffset(2026, 3, 2, 10, 0, 1, TimeSpan.Zero),
        Caller = "anonymous",
        Revision = new string('b', 64),
        EngineVersion = "RulesEngine/6.0.1 SafetyCheck.Core/1.0.0",
        AsOf = new DateTimeOffset(2026, 3, 2, 10, 0, 0, TimeSpan.Zero),
        TimeZoneId = "Europe/London",
        PatientPseudonym = "",
        PseudonymKeyId = "",
        Facts = TermChild,
        Unrecognized = [],
        Verdict = Suitability.Suitable,
        Precautions = [],
        PlanConflicts = [],
        Benefits = [],
        Errors = [],
        ResultsDigest = new string('c', 64),
    };

    [Fact]
    public void Write_AtDefaults_LeavesOutEveryDefaultMember()
    {
        var json = DecisionRecordJson.Canonical(Minimal, 1, AuditHead.GenesisHash);

        var root = JsonNode.Parse(json)!.AsObject();
        Assert.Equal(
            ["as_of", "caller", "decision_id", "engine", "facts", "prev_hash", "recorded_at", "results_digest", "revision", "schema", "sequence", "time_zone", "verdict"],
            root.Select(m => m.Key));
        Assert.Equal(["age_band", "age_days", "age_months", "as_of_date"], root["facts"]!.AsObject().Select(m => m.Key));
        Assert.Equal(CanonicalJson.Canonicalize(json), json);
        AssertReadsBack(Minimal, json);
    }

    [Fact]
    public void Write_EveryOptionalMember_IsCanonicalAndReadsBackExactly()
    {
        var preterm = PretermChild with
        {
            AgeYears = 1,
            InfantAgeDays = 5,
            InfantAgeMonths = -1,
            PostmenstrualAgeDays = Quantity.Unknown,
            BirthWeightGrams = Quantity.From(1350),
            TemperatureCelsius = Quantity.From(36.6),
            MinutesSinceLastFeed = Quantity.From(45),
            AgeBandValue = AgeBand.Neonate,
            GestationCategoryValue = GestationCategory.VeryPreterm,
            BirthWeightCategoryValue = BirthWeightCategory.VeryLowBirthWeight,
            SettingValue = Setting.Nicu,
            PlannedPressureValue = Pressure.Moderate,
            MedicalRelease = true,
            PlannedAreas = [BodyArea.Back, BodyArea.Legs],
            Conditions =
            [
                new FactCondition("preterm-birth-30-weeks", ConditionStatus.Active, null, null, CodeSystems.Icd10Cm, "P07.33"),
                new FactCondition("skin-local", ConditionStatus.Resolved, new DateOnly(2026, 2, 20), BodyArea.Arms, CodeSystems.SnomedCt, "125667009"),
                new FactCondition("fever", ConditionStatus.Active, null, null, CodeSystems.Catalog, "fever"),
                new FactCondition("other", ConditionStatus.Active, null, null, "http://example.org/codes", "x|y"),
            ],
        };
        var draft = Minimal with
        {
            Caller = "clinic \"north\"\n",
            PatientPseudonym = new string('d', 64),
            PseudonymKeyId = "2026-a",
            Facts = preterm,
            Unrecognized = [new CodeReference(CodeSystems.SnomedCt, "999", ConditionStatus.Active), new CodeReference(CodeSystems.Icd10Cm, "Q99.9", ConditionStatus.Resolved)],
            Verdict = Suitability.ClinicianReviewRequired,
            Precautions = ["unrecognized-condition", "fever", "preterm-abdomen"],
            PlanConflicts = ["preterm-abdomen"],
            Benefits = ["benefit-preterm-growth"],
            Errors = [new RuleOutcome("fever", false, "Index was outside the bounds of the array.\t\u0001")],
        };

        var json = DecisionRecordJson.Canonical(draft, 9, new string('e', 64));

        Assert.Equal(CanonicalJson.Canonicalize(json), json);
        var facts = JsonNode.Parse(json)!["facts"]!.AsObject();
        Assert.Null(facts["postmenstrual_age_days"]);
        Assert.True(facts.ContainsKey("postmenstrual_age_days"));
        Assert.Equal("sct|125667009", facts["conditions"]![1]!["ref"]!.GetValue<string>());
        Assert.Equal("http://example.org/codes|x|y", facts["conditions"]![3]!["ref"]!.GetValue<string>());
        AssertReadsBack(draft, json);
    }

    [Fact]
    public void Write_FactsThatFollowTheirFormula_AreLeftOut()
    {
        var json = DecisionRecordJson.Canonical(Minimal with { Facts = PretermChild }, 1, AuditHead.GenesisHash);

        var facts = JsonNode.Parse(json)!["facts"]!.AsObject();
        Assert.DoesNotContain(facts, m => m.Key is "age_years" or "infant_age_days" or "infant_age_months" or "postmenstrual_age_days");
        AssertReadsBack(Minimal with { Facts = PretermChild }, json);
    }

    /// <summary>
    /// Guards "adding a fact": every fact the facts object stores, each set away from its default, must come back from
    /// the record unchanged, so a fact added to <see cref="ChildFacts"/> but not to the record fails here.
    /// </summary>
    [Fact]
    public void Write_EveryStoredFactSet_ReadsBackExactly()
    {
        object facts = TermChild with { };
        foreach (var property in typeof(ChildFacts).GetProperties().Where(p => p.SetMethod is not null && p.SetMethod.IsPublic))
        {
            property.SetValue(facts, Sample(property.PropertyType, property.Name));
        }

        var draft = Minimal with { Facts = (ChildFacts)facts };
        var json = DecisionRecordJson.Canonical(draft, 1, AuditHead.GenesisHash);

        AssertReadsBack(draft, json);
    }

    /// <summary>A value of a stored fact that is not its default (nor its formula's value).</summary>
    private static object Sample(Type type, string name) => type switch
    {
        _ when type == typeof(int) => name.Length,
        _ when type == typeof(bool) => true,
        _ when type == typeof(DateOnly) => new DateOnly(2026, 2, 27),
        _ when type == typeof(Quantity) => Quantity.Of(name.Length + 100),
        _ when type == typeof(IReadOnlyList<BodyArea>) => new[] { BodyArea.Back, BodyArea.WholeBody },
        _ when type == typeof(IReadOnlyList<FactCondition>) => new[] { new FactCondition("eczema", ConditionStatus.Resolved, new DateOnly(2026, 1, 2), BodyArea.Arms, "http://hl7.org/fhir/sid/icd-10-cm", "L20.9") },
        _ when type.IsEnum => Enum.GetValues(type).GetValue(2)!,
        _ => throw new InvalidOperationException($"no sample value for the fact {name} of type {type.Name}: add one, and the fact to the record"),
    };

    [Theory]
    [InlineData("sct")]
    [InlineData("no-colon")]
    [InlineData("urn:x|y")]
    public void Write_CodeSystemARecordCannotName_IsRefused(string system)
    {
        var draft = Minimal with { Unrecognized = [new CodeReference(system, "1")] };

        Assert.Throws<ArgumentException>(() => DecisionRecordJson.Canonical(draft, 1, AuditHead.GenesisHash));
    }

    private static void AssertReadsBack(DecisionRecordDraft draft, string json)
    {
        var record = DecisionRecordJson.Parse(json, ChainHash.Of(json));
        var parsed = record.Content;
        Assert.Equal(2, record.SchemaVersion);
        Assert.Equal(json, DecisionRecordJson.Canonical(parsed, record.Sequence, record.PrevHash));
        Assert.Equal(draft.Facts.Conditions, parsed.Facts.Conditions);
        Assert.Equal(draft.Facts.PlannedAreas, parsed.Facts.PlannedAreas);
        Assert.Equal(draft.Facts with { PlannedAreas = parsed.Facts.PlannedAreas, Conditions = parsed.Facts.Conditions }, parsed.Facts);
        Assert.Equal(draft.Unrecognized, parsed.Unrecognized);
        Assert.Equal(draft.Precautions, parsed.Precautions);
        Assert.Equal(draft.PlanConflicts, parsed.PlanConflicts);
        Assert.Equal(draft.Benefits, parsed.Benefits);
        Assert.Equal(draft.Errors, parsed.Errors);
        Assert.Equal(
            draft with { Facts = parsed.Facts, Unrecognized = parsed.Unrecognized, Precautions = parsed.Precautions, PlanConflicts = parsed.PlanConflicts, Benefits = parsed.Benefits, Errors = parsed.Errors },
            parsed);
    }
}
