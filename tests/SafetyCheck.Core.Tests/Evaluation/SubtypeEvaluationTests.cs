using SafetyCheck.Core.Domain;
using SafetyCheck.Core.Evaluation;
using SafetyCheck.Core.Requests;
using SafetyCheck.Core.Rules;
using SafetyCheck.Core.Tests.Support;
using static SafetyCheck.Core.Tests.Support.TerminologyFixture;

namespace SafetyCheck.Core.Tests.Evaluation;

/// <summary>A SNOMED CT subtype gets everything its row gives: avoided site, pressure limit, plan conflict.</summary>
public class SubtypeEvaluationTests
{
    private const string FractureOfBone = "125605004";
    private const string SupracondylarFracture = "58580000";

    private static readonly string FractureRule = Fixtures.Rule(
        "fracture", "child.Has(\"fracture\")", "CLINICIAN_REVIEW_REQUIRED", "WARNING", "\"fracture\"",
        ",\n \"avoidConditionSite\": true, \"maxPressure\": \"LIGHT\", \"conflictOutcome\": \"NOT_SUITABLE\"");

    private static SafetyChecker Checker()
    {
        using var dir = TempRuleDirectory.WithRules(FractureRule);
        dir.Write("conditions.json", """
            { "conditions": [
              { "id": "fracture", "display": "Fracture", "icd10": [{ "code": "S42", "seventh": "ABDGKP" }], "snomed": ["125605004"] },
              { "id": "health-check", "display": "Health check", "benign": true, "icd10": ["Z00"] }
            ] }
            """);
        dir.Write(TablePath, Table);
        dir.Write(SnomedExpansionPath, Expansion(FractureOfBone, "Fracture of bone", (SupracondylarFracture, "Closed supracondylar fracture of humerus")));
        var result = RuleSetLoader.Load(dir.Path);
        Assert.True(result.Succeeded, string.Join("\n", result.Diagnostics));
        return new SafetyChecker(result.RuleSet, TimeProvider.System);
    }

    private static readonly string SnomedExpansionPath = $"terminology/snomed/{FractureOfBone}.json";

    private static Assessment Assess(string system, string code, int bodySite, params int[] areas)
    {
        var request = SampleRequests.Child(conditions: new UnvalidatedCondition { System = system, Code = code, BodySite = bodySite }) with
        {
            Session = new UnvalidatedSession { ScheduledAtSeconds = SampleRequests.AsOf.ToUnixTimeSeconds(), Setting = 1, Areas = areas, Pressure = (int)Pressure.Light },
        };
        var outcome = Checker().Check(request);
        Assert.True(outcome.IsValid, string.Join("; ", outcome.Violations));
        return outcome.Assessment;
    }

    [Fact]
    public void Check_SupracondylarFractureWithArmsPlanned_GetsTheFractureRowsSiteLimitAndConflict()
    {
        var assessment = Assess(CodeSystems.SnomedCt, SupracondylarFracture, (int)BodyArea.Arms, (int)BodyArea.Arms);

        Assert.Equal(Suitability.NotSuitable, assessment.Suitability);
        Assert.Empty(assessment.Unrecognized);
        Assert.Equal(["fracture"], assessment.Facts.Conditions.Select(c => c.Id));
        var precaution = Assert.Single(assessment.Precautions);
        Assert.Equal("fracture", precaution.RuleId);
        Assert.Equal([BodyArea.Arms], precaution.AvoidAreas);
        Assert.Equal(Pressure.Light, precaution.MaxPressure);
        Assert.True(precaution.PlanConflict);
        Assert.Equal([$"{CodeSystems.SnomedCt}|{SupracondylarFracture}"], precaution.TriggeredBy);
    }

    [Fact]
    public void Check_Subtype_DecidesAsTheRowsOwnConceptAndItsIcd10CmCodeDo()
    {
        var subtype = Assess(CodeSystems.SnomedCt, SupracondylarFracture, (int)BodyArea.Arms, (int)BodyArea.Legs);
        var concept = Assess(CodeSystems.SnomedCt, FractureOfBone, (int)BodyArea.Arms, (int)BodyArea.Legs);
        var icd10 = Assess(CodeSystems.Icd10Cm, "S42.411A", (int)BodyArea.Arms, (int)BodyArea.Legs);

        foreach (var assessment in new[] { subtype, concept, icd10 })
        {
            Assert.Equal(Suitability.ClinicianReviewRequired, assessment.Suitability);
            var precaution = Assert.Single(assessment.Precautions);
            Assert.Equal([BodyArea.Arms], precaution.AvoidAreas);
            Assert.Equal((Pressure.Light, false), (precaution.MaxPressure, precaution.PlanConflict));
        }
    }

    [Fact]
    public void Check_CodeThatDoesNotExistUnderARowsPrefix_IsUnrecognisedAndReviewed()
    {
        var assessment = Assess(CodeSystems.Icd10Cm, "Z00.999", 0, (int)BodyArea.Legs);

        Assert.Equal(Suitability.ClinicianReviewRequired, assessment.Suitability);
        Assert.Equal(new CodeReference(CodeSystems.Icd10Cm, "Z00.999", ConditionStatus.Active, "not an ICD-10-CM FY2026 code"), Assert.Single(assessment.Unrecognized));
        Assert.Equal("unrecognized-condition", Assert.Single(assessment.Precautions).RuleId);
    }

    [Fact]
    public void Check_SubtypeTwoRowsCoverEqually_GetsTheRowWhoseRulesAreMoreRestrictive()
    {
        using var dir = TempRuleDirectory.WithRules(string.Join(",\n",
            Fixtures.Rule("eczema", "child.Has(\"eczema\")", "SUITABLE_WITH_PRECAUTIONS", "CAUTION", "\"eczema\""),
            Fixtures.Rule("skin-infection", "child.Has(\"skin-infection\")", "NOT_SUITABLE", "CRITICAL", "\"skin-infection\"")));
        dir.Write("conditions.json", """
            { "conditions": [
              { "id": "eczema", "display": "Eczema", "snomed": ["43116000"] },
              { "id": "skin-infection", "display": "Infective dermatitis", "snomed": ["367338000"] }
            ] }
            """);
        dir.Write("terminology/snomed/43116000.json", Expansion("43116000", "Eczema", ("400079002", "Infected eczema"), ("81418003", "Nummular eczema")));
        dir.Write("terminology/snomed/367338000.json", Expansion("367338000", "Infective dermatitis", ("400079002", "Infected eczema"), ("45261009", "Viral conjunctivitis")));
        var result = RuleSetLoader.Load(dir.Path);
        Assert.True(result.Succeeded, string.Join("\n", result.Diagnostics));

        var outcome = new SafetyChecker(result.RuleSet, TimeProvider.System)
            .Check(SampleRequests.Child(conditions: new UnvalidatedCondition { System = CodeSystems.SnomedCt, Code = "400079002" }));

        Assert.Equal("skin-infection", Assert.Single(outcome.Assessment!.Facts.Conditions).Id);
        Assert.Equal(Suitability.NotSuitable, outcome.Assessment.Suitability);
    }
}
