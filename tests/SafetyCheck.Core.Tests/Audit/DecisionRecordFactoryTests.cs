using System.Text.Json.Nodes;
using SafetyCheck.Core.Audit;
using SafetyCheck.Core.Domain;
using static SafetyCheck.Core.Tests.Audit.AuditTestSupport;

namespace SafetyCheck.Core.Tests.Audit;

public class DecisionRecordFactoryTests
{
    [Fact]
    public void Create_KeepsThePseudonymNeverThePatientRefOrBirthDate()
    {
        var draft = Draft("R50.9");

        Assert.Equal(TestPseudonymiser.Pseudonymise(PatientRef), draft.PatientPseudonym);
        Assert.Equal("test-key", draft.PseudonymKeyId);
        var json = DecisionRecordJson.Canonical(draft, 1, AuditHead.GenesisHash);
        Assert.DoesNotContain(PatientRef, json, StringComparison.Ordinal);
        Assert.DoesNotContain(BirthDate, json, StringComparison.Ordinal);
    }

    [Fact]
    public void Create_MapsVerdictPrecautionsBenefitsAndEveryRuleResult()
    {
        var draft = Draft("R50.9", "L20.9");

        Assert.Equal(Suitability.NotSuitable, draft.Verdict);
        Assert.Equal(["fever", "eczema", "school-age-note"], draft.Precautions.Select(p => p.RuleId));
        Assert.Equal([BodyArea.Face], draft.Precautions[1].AvoidAreas);
        Assert.Equal(["http://hl7.org/fhir/sid/icd-10-cm|R50.9"], draft.Precautions[0].TriggeredBy);
        Assert.Equal(["eczema", "fever", "school-age-note"], draft.FiredRuleIds);
        Assert.All(draft.Rules, r => Assert.True(r.Fired));
        Assert.Equal(DefaultRules.Identity, draft.Ruleset);
        Assert.StartsWith("RulesEngine/", draft.EngineVersion);
        Assert.Contains(" SafetyCheck.Core/", draft.EngineVersion);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("  ")]
    public void Create_NoCaller_IsAnonymous(string? caller)
    {
        Assert.Equal("anonymous", Draft(DefaultRules, Request(), caller).Caller);
    }

    [Theory]
    [InlineData("not-a-uuid")]
    [InlineData("01900000-0000-4000-8000-000000000001")]
    [InlineData("01900000-0000-7000-8000-00000000000A")]
    public void Create_DecisionIdNotALowercaseUuidV7_IsRefused(string decisionId)
    {
        var assessment = Assess(DefaultRules, Request());

        Assert.Throws<ArgumentException>(() => DecisionRecordFactory.Create(assessment, decisionId, null, RecordedAt, TestPseudonymiser));
    }

    [Fact]
    public void Json_RoundTripsEveryField()
    {
        var request = Request("R50.9", "L20.9") with { TemperatureCelsius = 38.25, MinutesSinceLastFeed = 45 };
        var draft = Draft(DefaultRules, request, recordedAt: new DateTimeOffset(2026, 3, 2, 11, 0, 0, TimeSpan.FromHours(1)).AddTicks(1234567));
        var json = DecisionRecordJson.Canonical(draft, 7, new string('a', 64));

        var (sequence, prevHash, parsed) = DecisionRecordJson.Parse(json);

        Assert.Equal(7, sequence);
        Assert.Equal(new string('a', 64), prevHash);
        Assert.Equal(json, DecisionRecordJson.Canonical(parsed, 7, prevHash));
        Assert.Equal(draft.RecordedAt, parsed.RecordedAt);
        Assert.Equal(38.25, parsed.Facts.TemperatureCelsius);
        Assert.Equal(draft.Facts.Conditions, parsed.Facts.Conditions);
        Assert.Equal(draft.Facts with { PlannedAreas = parsed.Facts.PlannedAreas, Conditions = parsed.Facts.Conditions }, parsed.Facts);
    }

    [Fact]
    public void Json_BindsTheSchemaSequenceAndPreviousHash()
    {
        var draft = Draft();
        var node = JsonNode.Parse(DecisionRecordJson.Canonical(draft, 3, AuditHead.GenesisHash))!.AsObject();

        Assert.Equal("safetycheck.decision/v1", node["schema"]!.GetValue<string>());
        Assert.Equal(3, node["sequence"]!.GetValue<long>());
        Assert.NotEqual(
            DecisionRecordJson.Hash(DecisionRecordJson.Canonical(draft, 3, AuditHead.GenesisHash)),
            DecisionRecordJson.Hash(DecisionRecordJson.Canonical(draft, 4, AuditHead.GenesisHash)));
    }

    [Fact]
    public void Json_UnknownFactsAreNull()
    {
        var request = Request() with { TemperatureCelsius = null, Patient = Request().Patient! with { GestationalAgeAtBirth = null, BirthWeightGrams = null } };
        var node = JsonNode.Parse(DecisionRecordJson.Canonical(Draft(DefaultRules, request), 1, AuditHead.GenesisHash))!["facts"]!.AsObject();

        Assert.Null(node["gestational_age_days"]);
        Assert.True(node.ContainsKey("gestational_age_days"));
        Assert.Null(node["temperature_celsius"]);
        Assert.Equal("UNSPECIFIED", node["gestation_category"]!.GetValue<string>());
    }

    [Fact]
    public void Parse_NotARecord_IsInvalidData()
    {
        Assert.Throws<InvalidDataException>(() => DecisionRecordJson.Parse("[]"));
        Assert.Throws<InvalidDataException>(() => DecisionRecordJson.Parse("{\"schema\":\"other\"}"));
        Assert.Throws<InvalidDataException>(() => DecisionRecordJson.Parse("{"));
    }

    [Fact]
    public void ToEvaluationInput_CarriesTheRecordedFactsOnly()
    {
        var draft = Draft("R50.9");

        var input = DecisionRecordFactory.ToEvaluationInput(draft);

        Assert.Equal("", input.PatientRef);
        Assert.Same(draft.Facts, input.Facts);
        Assert.Equal(draft.AsOf, input.AsOf);
    }
}
