using Google.Protobuf.WellKnownTypes;
using SafetyCheck.Core.Evaluation;
using SafetyCheck.Core.Facts;
using SafetyCheck.Core.Pipeline;
using SafetyCheck.Core.Rules;
using Citation = SafetyCheck.Protos.V1.Citation;
using Evidence = SafetyCheck.Core.Rules.Evidence;
using SafetyCheck.Check;
using SafetyCheck.Protos.V1;
using Domain = SafetyCheck.Core.Domain;

namespace SafetyCheck.IntegrationTests.Check;

public sealed class ProtoMapperTests
{
    private static readonly DateTimeOffset AsOf = new(2025, 3, 1, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public void ToUnvalidated_AbsentMessages_StayNull()
    {
        var request = ProtoMapper.ToUnvalidated(new CheckRequest { RequestId = "r-1" });

        Assert.Equal("r-1", request.RequestId);
        Assert.Null(request.Patient);
        Assert.Null(request.Session);
        Assert.Null(request.TemperatureCelsius);
        Assert.Null(request.MinutesSinceLastFeed);
        Assert.Empty(request.Conditions);
    }

    [Fact]
    public void ToUnvalidated_PatientWithoutGestationOrWeight_LeavesThemUnknown()
    {
        var request = ProtoMapper.ToUnvalidated(new CheckRequest { Patient = new Patient { BirthDate = "2025-01-10" } });

        Assert.Equal("2025-01-10", request.Patient!.BirthDate);
        Assert.Null(request.Patient.GestationalAgeAtBirth);
        Assert.Null(request.Patient.BirthWeightGrams);
    }

    [Fact]
    public void ToUnvalidated_EverythingSent_IsCopiedAsSent()
    {
        var proto = new CheckRequest
        {
            Patient = new Patient
            {
                PatientRef = "p",
                BirthDate = "2026-13-45",
                GestationalAgeAtBirth = new GestationalAge { Weeks = 50, Days = 9 },
                BirthWeightGrams = 0,
            },
            Conditions =
            {
                new Condition { System = "http://loinc.org", Code = "8310-5", Display = "d", Status = ConditionStatus.Resolved, OnsetDate = "x", BodySite = (BodyArea)99 },
            },
            Session = new Session
            {
                ScheduledAt = new Timestamp { Seconds = 1_740_823_200, Nanos = 5 },
                TimeZone = "Europe/London",
                Setting = Setting.Nicu,
                Pressure = Pressure.Firm,
                MedicalRelease = true,
                Areas = { BodyArea.Abdomen, (BodyArea)42 },
            },
            Observations = new Observations { TemperatureCelsius = double.NaN, MinutesSinceLastFeed = -5 },
            Explain = true,
        };

        var request = ProtoMapper.ToUnvalidated(proto);

        // Nothing is judged here: impossible values reach Core's validator unchanged.
        Assert.Equal((50, 9), request.Patient!.GestationalAgeAtBirth);
        Assert.Equal(0, request.Patient.BirthWeightGrams);
        var condition = Assert.Single(request.Conditions);
        Assert.Equal(("http://loinc.org", "8310-5", 2, 99), (condition.System, condition.Code, condition.Status, condition.BodySite));
        Assert.Equal(1_740_823_200, request.Session!.ScheduledAtSeconds);
        Assert.Equal(5, request.Session.ScheduledAtNanos);
        Assert.Equal((4, 3, true), (request.Session.Setting, request.Session.Pressure, request.Session.MedicalRelease));
        Assert.Equal([6, 42], request.Session.Areas);
        Assert.True(double.IsNaN(request.TemperatureCelsius!.Value));
        Assert.Equal(-5, request.MinutesSinceLastFeed);
        Assert.True(request.Explain);
    }

    [Fact]
    public void ToUnvalidated_SessionWithoutScheduledAt_HasNoTime()
    {
        var request = ProtoMapper.ToUnvalidated(new CheckRequest { Session = new Session { Setting = Setting.Home } });

        Assert.Null(request.Session!.ScheduledAtSeconds);
        Assert.Equal(1, request.Session.Setting);
    }

    [Fact]
    public void ToResponse_Decided_MapsEveryField()
    {
        var evaluatedAt = AsOf.AddMinutes(1);

        var response = ProtoMapper.ToResponse(new Decided(SampleAssessment(), "0195f0a0-0000-7000-8000-000000000000", evaluatedAt, null), explain: false);

        Assert.Equal("0195f0a0-0000-7000-8000-000000000000", response.DecisionId);
        Assert.Equal("req-7", response.RequestId);
        Assert.Equal(Suitability.ClinicianReviewRequired, response.Suitability);
        var precaution = Assert.Single(response.Precautions);
        Assert.Equal("preterm-abdomen", precaution.RuleId);
        Assert.Equal(Suitability.NotSuitable, precaution.Outcome);
        Assert.Equal(Severity.Critical, precaution.Severity);
        Assert.Equal([BodyArea.Abdomen], precaution.AvoidAreas);
        Assert.Equal(Pressure.Light, precaution.MaxPressure);
        Assert.True(precaution.PlanConflict);
        Assert.Equal("B", precaution.Evidence.Grade);
        Assert.Equal(new Citation { Title = "Trial", Year = 2020, Url = "https://example.org/t" }, precaution.Evidence.Citations.Single());
        Assert.Equal(["urn:safetycheck:condition|nec"], precaution.TriggeredBy);
        var benefit = Assert.Single(response.Benefits);
        Assert.Equal(("sleep", "Massage may help sleep.", "benefit-sleep"), (benefit.Topic, benefit.Summary, benefit.RuleId));
        Assert.Equal(new CodeRef { System = "http://snomed.info/sct", Code = "123" }, response.UnrecognizedConditions.Single());
        Assert.Equal(60, response.Facts.ChronologicalAgeDays);
        Assert.Equal(-10, response.Facts.CorrectedAgeDays);
        Assert.Equal(250, response.Facts.PostmenstrualAgeDays);
        Assert.Equal(AgeBand.Infant, response.Facts.AgeBand);
        Assert.Equal(GestationCategory.VeryPreterm, response.Facts.GestationCategory);
        Assert.Equal(BirthWeightCategory.VeryLowBirthWeight, response.Facts.BirthWeightCategory);
        Assert.Equal(["nec", "eczema"], response.Facts.ConditionIds);
        Assert.Equal(new RulesetRef { Name = "starter", Version = "1.0", Revision = new string('a', 64) }, response.Ruleset);
        Assert.Equal(Timestamp.FromDateTimeOffset(AsOf), response.AsOf);
        Assert.Equal(Timestamp.FromDateTimeOffset(evaluatedAt), response.EvaluatedAt);
        Assert.Empty(response.Trace);
        Assert.Null(response.Audit);
    }

    [Fact]
    public void ToResponse_Receipt_IsTheAuditField()
    {
        var response = ProtoMapper.ToResponse(new Decided(SampleAssessment(), "id", AsOf, new DecisionReceipt(42, new string('b', 64))), explain: false);

        Assert.Equal(new AuditReceipt { Sequence = 42, EntryHash = new string('b', 64) }, response.Audit);
    }

    [Fact]
    public void ToResponse_Explain_IncludesEveryRuleResult()
    {
        var response = ProtoMapper.ToResponse(new Decided(SampleAssessment(), "id", AsOf, null), explain: true);

        Assert.Equal(
            [new RuleTrace { RuleId = "preterm-abdomen", Fired = true }, new RuleTrace { RuleId = "broken", Error = "boom" }],
            response.Trace);
    }

    [Fact]
    public void ToResponse_UnknownGestation_OmitsCorrectedAndPostmenstrualAge()
    {
        var assessment = SampleAssessment() with
        {
            Facts = SampleFacts() with { CorrectedAgeDays = Quantity.Unknown, PostmenstrualAgeDays = Quantity.Unknown, GestationCategoryValue = Domain.GestationCategory.Unspecified },
        };

        var response = ProtoMapper.ToResponse(new Decided(assessment, "id", AsOf, null), explain: false);

        Assert.False(response.Facts.HasCorrectedAgeDays);
        Assert.False(response.Facts.HasPostmenstrualAgeDays);
        Assert.Equal(GestationCategory.Unspecified, response.Facts.GestationCategory);
    }

    private static Assessment SampleAssessment() => new()
    {
        RequestId = "req-7",
        PatientRef = "patient-1",
        TimeZoneId = "UTC",
        Suitability = Domain.Suitability.ClinicianReviewRequired,
        Precautions =
        [
            new PrecautionResult
            {
                RuleId = "preterm-abdomen",
                Outcome = Domain.Suitability.NotSuitable,
                Severity = Domain.Severity.Critical,
                Summary = "No abdominal massage.",
                Detail = "Avoid the abdomen.",
                AvoidAreas = [Domain.BodyArea.Abdomen],
                MaxPressure = Domain.Pressure.Light,
                PlanConflict = true,
                Evidence = new Evidence("B", [new Core.Rules.Citation("Trial", 2020, "https://example.org/t")]),
                TriggeredBy = ["urn:safetycheck:condition|nec"],
            },
        ],
        Benefits = [new BenefitNote("benefit-sleep", "sleep", "Massage may help sleep.", Evidence.None)],
        Unrecognized = [new CodeReference("http://snomed.info/sct", "123")],
        Facts = SampleFacts(),
        Ruleset = new RulesetIdentity("starter", "1.0", new string('a', 64)),
        AsOf = AsOf,
        Trace = [new RuleOutcome("preterm-abdomen", true, null), new RuleOutcome("broken", false, "boom")],
    };

    private static ChildFacts SampleFacts() => new()
    {
        AsOfDate = DateOnly.FromDateTime(AsOf.UtcDateTime),
        AgeDays = 60,
        AgeMonths = 1,
        AgeYears = 0,
        InfantAgeDays = 60,
        InfantAgeMonths = 1,
        GestationalAgeDays = Quantity.From(190),
        CorrectedAgeDays = Quantity.From(-10),
        PostmenstrualAgeDays = Quantity.From(250),
        AgeBandValue = Domain.AgeBand.Infant,
        GestationCategoryValue = Domain.GestationCategory.VeryPreterm,
        BirthWeightCategoryValue = Domain.BirthWeightCategory.VeryLowBirthWeight,
        SettingValue = Domain.Setting.Nicu,
        PlannedPressureValue = Domain.Pressure.Light,
        MedicalRelease = true,
        PlannedAreas = [Domain.BodyArea.Abdomen],
        Conditions =
        [
            new FactCondition("nec", Domain.ConditionStatus.Active, null, null, "urn:safetycheck:condition", "nec"),
            new FactCondition("eczema", Domain.ConditionStatus.Active, null, Domain.BodyArea.Arms, "http://hl7.org/fhir/sid/icd-10-cm", "L20.9"),
            new FactCondition("nec", Domain.ConditionStatus.Active, null, null, "http://hl7.org/fhir/sid/icd-10-cm", "P77.9"),
            new FactCondition("fracture", Domain.ConditionStatus.Resolved, null, null, "http://hl7.org/fhir/sid/icd-10-cm", "S42.0"),
        ],
    };
}
