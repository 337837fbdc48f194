using System.Text.Json.Nodes;
using SafetyCheck.Audit.Records;
using SafetyCheck.Audit.Replay;
using SafetyCheck.Audit.Storage;
using SafetyCheck.Audit.Tests.Support;
using SafetyCheck.Core.Domain;
using static SafetyCheck.Audit.Tests.Support.AuditTestSupport;

namespace SafetyCheck.Audit.Tests.Records;

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
    public async Task Create_MapsVerdictPrecautionsBenefitsAndEveryRuleResult()
    {
        var draft = Draft("R50.9", "L20.9");

        Assert.Equal(Suitability.NotSuitable, draft.Verdict);
        Assert.Equal(["fever", "eczema", "school-age-note"], draft.Precautions);
        Assert.Equal(["eczema", "fever", "school-age-note"], draft.FiredRuleIds);
        Assert.Equal(DefaultRules.Identity.Revision, draft.Revision);
        Assert.StartsWith("RulesEngine/", draft.EngineVersion);
        Assert.Contains(" SafetyCheck.Core/", draft.EngineVersion);

        // What the record leaves to its digest, the archived revision gives back exactly.
        using var dir = new TempAuditDirectory();
        await using var store = await OpenAsync(dir.DatabasePath);
        await store.AppendAsync(draft);
        var record = (await store.GetAsync(draft.DecisionId))!.ToRecord();
        var result = await new DecisionReplayer(store).ExpandAsync(record);

        Assert.NotNull(result);
        Assert.Equal(draft.ResultsDigest, result.Digest());
        Assert.Equal([BodyArea.Face], result.Precautions[1].AvoidAreas);
        Assert.Equal(["http://hl7.org/fhir/sid/icd-10-cm|R50.9"], result.Precautions[0].TriggeredBy);
        Assert.All(result.Rules, r => Assert.True(r.Fired));
        Assert.Equal(DefaultRules.Identity, await new RulesetIdentities(store).OfAsync(record));
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

        var (sequence, prevHash, _, parsed) = DecisionRecordJson.Parse(json, DecisionRecordJson.Hash(json));

        Assert.Equal(7, sequence);
        Assert.Equal(new string('a', 64), prevHash);
        Assert.Equal(json, DecisionRecordJson.Canonical(parsed, 7, prevHash));
        Assert.Equal(draft.RecordedAt, parsed.RecordedAt);
        Assert.Equal(38.25, parsed.Facts.TemperatureCelsius.ToNullable());
        Assert.Equal(draft.Facts.Conditions, parsed.Facts.Conditions);
        Assert.Equal(draft.Facts with { PlannedAreas = parsed.Facts.PlannedAreas, Conditions = parsed.Facts.Conditions }, parsed.Facts);
        Assert.Equal(draft.ResultsDigest, parsed.ResultsDigest);
    }

    [Fact]
    public void Json_BindsTheSchemaSequenceAndPreviousHash()
    {
        var draft = Draft();
        var node = JsonNode.Parse(DecisionRecordJson.Canonical(draft, 3, AuditHead.GenesisHash))!.AsObject();

        Assert.Equal("safetycheck.decision/v2", node["schema"]!.GetValue<string>());
        Assert.Equal(3, node["sequence"]!.GetValue<long>());
        Assert.NotEqual(
            DecisionRecordJson.Hash(DecisionRecordJson.Canonical(draft, 3, AuditHead.GenesisHash)),
            DecisionRecordJson.Hash(DecisionRecordJson.Canonical(draft, 4, AuditHead.GenesisHash)));
    }

    [Fact]
    public void Json_UnknownFactsAreLeftOutAndReadBackUnknown()
    {
        var request = Request() with { TemperatureCelsius = null, Patient = Request().Patient! with { GestationalAgeAtBirth = null, BirthWeightGrams = null } };
        var json = DecisionRecordJson.Canonical(Draft(DefaultRules, request), 1, AuditHead.GenesisHash);
        var node = JsonNode.Parse(json)!["facts"]!.AsObject();

        var facts = DecisionRecordJson.Parse(json, DecisionRecordJson.Hash(json)).Content.Facts;

        Assert.False(node.ContainsKey("gestational_age_days"));
        Assert.False(node.ContainsKey("temperature_celsius"));
        Assert.False(node.ContainsKey("gestation_category"));
        Assert.True(facts.GestationalAgeDays.IsUnknown);
        Assert.True(facts.TemperatureCelsius.IsUnknown);
        Assert.Equal(GestationCategory.Unspecified, facts.GestationCategoryValue);
    }

    [Fact]
    public void Parse_NotARecord_IsInvalidData()
    {
        Assert.Throws<InvalidDataException>(() => DecisionRecordJson.Parse("[]", AuditHead.GenesisHash));
        Assert.Throws<InvalidDataException>(() => DecisionRecordJson.Parse("{\"schema\":\"other\"}", AuditHead.GenesisHash));
        Assert.Throws<InvalidDataException>(() => DecisionRecordJson.Parse("{", AuditHead.GenesisHash));
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
