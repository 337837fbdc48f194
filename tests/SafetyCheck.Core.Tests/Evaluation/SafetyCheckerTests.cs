using SafetyCheck.Core.Domain;
using SafetyCheck.Core.Evaluation;
using SafetyCheck.Core.Requests;
using SafetyCheck.Core.Rules;
using SafetyCheck.Core.Tests.Support;

namespace SafetyCheck.Core.Tests.Evaluation;

public class SafetyCheckerTests
{
    private static readonly string Fever = Fixtures.Rule("fever", "child.Has(\"fever\") || child.TemperatureCelsius.AtLeast(feverThresholdCelsius)", conditions: "\"fever\"");
    private static readonly string Eczema = Fixtures.Rule("eczema", "child.Has(\"eczema\")", "SUITABLE_WITH_PRECAUTIONS", "CAUTION", "\"eczema\"", ",\n \"avoidAreas\": [\"FACE\"]");
    private static readonly string Bleeding = Fixtures.Rule("bleeding-risk", "child.Has(\"bleeding-risk\")", "CLINICIAN_REVIEW_REQUIRED", "WARNING", "\"bleeding-risk\"", ",\n \"maxPressure\": \"LIGHT\"");
    private static readonly string Wound = Fixtures.Rule("skin-local", "child.Has(\"skin-local\")", "SUITABLE_WITH_PRECAUTIONS", "CAUTION", "\"skin-local\"", ",\n \"avoidConditionSite\": true, \"conflictOutcome\": \"NOT_SUITABLE\"");
    private static readonly string Info = Fixtures.Rule("school-age-note", "child.AgeYears >= 3", "SUITABLE", "INFO");
    private static readonly string Immunisation = Fixtures.Rule("recent-immunisation", "child.HasWithinDays(\"immunisation\", immunisationDeferralDays)", conditions: "\"immunisation\"");

    private static SafetyChecker Checker(params string[] rules)
    {
        using var dir = TempRuleDirectory.WithRules(string.Join(",\n", rules));
        var result = RuleSetLoader.Load(dir.Path);
        Assert.True(result.Succeeded, string.Join("\n", result.Diagnostics));
        return new SafetyChecker(result.RuleSet, TimeProvider.System);
    }

    private static Assessment Assess(SafetyChecker checker, UnvalidatedRequest request)
    {
        var outcome = checker.Check(request);
        Assert.True(outcome.IsValid, string.Join("; ", outcome.Violations));
        return outcome.Assessment;
    }

    [Theory]
    // The rules' GestationalAgeWeeks.Below(termGestationWeeks) and C#'s corrected age and category move together.
    [InlineData(36, 35, true)]
    [InlineData(36, 36, false)]
    [InlineData(37, 36, true)]
    [InlineData(37, 37, false)]
    [InlineData(38, 37, true)]
    [InlineData(38, 38, false)]
    public void Check_TermGestationWeeksParameter_RulesAndFactsAgreeOnPreterm(int termWeeks, int gaWeeks, bool preterm)
    {
        var rule = Fixtures.Rule("preterm-note", "child.GestationalAgeWeeks.Below(termGestationWeeks)", "SUITABLE", "INFO");
        using var dir = TempRuleDirectory.WithRules(rule, $$"""
            "termGestationWeeks": { "value": {{termWeeks}}, "unit": "weeks", "description": "term from here" }
            """);
        var result = RuleSetLoader.Load(dir.Path);
        Assert.True(result.Succeeded, string.Join("\n", result.Diagnostics));
        var checker = new SafetyChecker(result.RuleSet, TimeProvider.System);
        var request = SampleRequests.Child("2026-01-05");
        request = request with { Patient = request.Patient! with { GestationalAgeAtBirth = (gaWeeks, 6) } };

        var assessment = Assess(checker, request);

        Assert.Equal(preterm, Assert.Single(assessment.Trace, t => t.RuleId == "preterm-note").Fired);
        Assert.Equal(preterm, assessment.Facts.CorrectedAgeDays.IsKnown);
        Assert.Equal(preterm ? assessment.Facts.CorrectedAgeDays.ToNullableInt32() : assessment.Facts.AgeDays, assessment.Facts.InfantAgeDays);
        Assert.Equal(preterm ? GestationCategory.ModerateLatePreterm : GestationCategory.Term, assessment.Facts.GestationCategoryValue);
    }

    [Fact]
    public void Check_NoRuleFires_IsSuitable()
    {
        var assessment = Assess(Checker(Fever, Eczema), SampleRequests.Child());

        Assert.Equal(Suitability.Suitable, assessment.Suitability);
        Assert.Empty(assessment.Precautions);
    }

    [Fact]
    public void Check_RuleThatThrowsAtRunTime_RequiresClinicianReviewNamingTheRule()
    {
        var throwing = Fixtures.Rule("throws", "79228162514264337593543950335.0m + 1.0m > 0.0m", "SUITABLE", "INFO");

        var assessment = Assess(Checker(Info, throwing), SampleRequests.Child());

        Assert.Equal(Suitability.ClinicianReviewRequired, assessment.Suitability);
        var precaution = Assert.Single(assessment.Precautions, p => p.RuleId == "throws");
        Assert.Equal(Suitability.ClinicianReviewRequired, precaution.Outcome);
        Assert.Contains("throws", precaution.Detail, StringComparison.Ordinal);
        Assert.NotNull(Assert.Single(assessment.Trace, t => t.RuleId == "throws").Error);
    }

    [Fact]
    public void Check_OverflowAtRunTime_FailsClosed()
    {
        var throwing = Fixtures.Rule("overflows", "child.AgeDays >= 0 && 0.0m - 79228162514264337593543950335.0m - 1.0m < 0.0m", "SUITABLE", "INFO");

        var assessment = Assess(Checker(throwing), SampleRequests.Child());

        Assert.Equal(Suitability.ClinicianReviewRequired, assessment.Suitability);
    }

    [Fact]
    public void Check_InfoGuidance_DoesNotLowerTheVerdict()
    {
        var assessment = Assess(Checker(Fever, Info), SampleRequests.Child(conditions: SampleRequests.Icd("R50.9")));

        Assert.Equal(Suitability.NotSuitable, assessment.Suitability);
        Assert.Equal(["fever", "school-age-note"], assessment.Precautions.Select(p => p.RuleId));
        Assert.Equal(["http://hl7.org/fhir/sid/icd-10-cm|R50.9"], assessment.Precautions[0].TriggeredBy);
    }

    [Fact]
    public void Check_OnlyInfo_IsSuitableWithTheGuidanceListed()
    {
        var assessment = Assess(Checker(Info), SampleRequests.Child());

        Assert.Equal(Suitability.Suitable, assessment.Suitability);
        Assert.Equal("school-age-note", Assert.Single(assessment.Precautions).RuleId);
    }

    [Fact]
    public void Check_FiredByAFact_TriggeredByNamesTheFact()
    {
        var request = SampleRequests.Child() with { TemperatureCelsius = 38.0 };

        var assessment = Assess(Checker(Fever), request);

        Assert.Equal(Suitability.NotSuitable, assessment.Suitability);
        Assert.Equal(["child.TemperatureCelsius"], Assert.Single(assessment.Precautions).TriggeredBy);
    }

    [Fact]
    public void Check_PlanListsAnAvoidedArea_IsAConflictRaisedToReview()
    {
        var request = SampleRequests.Child(conditions: SampleRequests.Icd("L20.9"));
        request = request with { Session = request.Session! with { Areas = [3, 7] } };

        var assessment = Assess(Checker(Eczema), request);

        var precaution = Assert.Single(assessment.Precautions);
        Assert.True(precaution.PlanConflict);
        Assert.Equal(Suitability.ClinicianReviewRequired, assessment.Suitability);
        Assert.Equal([BodyArea.Face], precaution.AvoidAreas);
    }

    [Fact]
    public void Check_WholeBodyPlan_ConflictsWithAnAvoidedArea()
    {
        var request = SampleRequests.Child(conditions: SampleRequests.Icd("L20.9"));
        request = request with { Session = request.Session! with { Areas = [1] } };

        var assessment = Assess(Checker(Eczema), request);

        var precaution = Assert.Single(assessment.Precautions);
        Assert.True(precaution.PlanConflict);
        Assert.Equal([BodyArea.Face], precaution.AvoidAreas);
        Assert.Equal(Suitability.ClinicianReviewRequired, assessment.Suitability);
    }

    [Fact]
    public void Check_WholeBodyPlan_ConflictsWithTheConditionSiteAndUsesTheConflictOutcome()
    {
        var request = SampleRequests.Child(conditions: SampleRequests.Icd("S41.011A", site: 8));
        request = request with { Session = request.Session! with { Areas = [1] } };

        var assessment = Assess(Checker(Wound), request);

        var precaution = Assert.Single(assessment.Precautions);
        Assert.True(precaution.PlanConflict);
        Assert.Equal(Suitability.NotSuitable, assessment.Suitability);
    }

    [Fact]
    public void Check_WholeBodyPlanWithNoAvoidedArea_IsNoConflict()
    {
        var request = SampleRequests.Child(conditions: SampleRequests.Icd("S41.011A"));
        request = request with { Session = request.Session! with { Areas = [1] } };

        var assessment = Assess(Checker(Wound), request);

        var precaution = Assert.Single(assessment.Precautions);
        Assert.Empty(precaution.AvoidAreas);
        Assert.False(precaution.PlanConflict);
        Assert.Equal(Suitability.SuitableWithPrecautions, assessment.Suitability);
    }

    [Theory]
    [InlineData("2026-02-28", true)]
    [InlineData("2026-02-27", false)]
    public void Check_ResolvedImmunisation_DatesDecideRecency(string onset, bool fires)
    {
        var assessment = Assess(Checker(Immunisation), SampleRequests.Child(conditions: SampleRequests.Icd("Z23", status: 2, onset: onset)));

        Assert.Equal(fires ? Suitability.NotSuitable : Suitability.Suitable, assessment.Suitability);
    }

    [Fact]
    public void Check_StaleActiveRecordBesideAResolvedOneInsideTheWindow_TheResolvedOneTriggersAndItsSiteIsAvoided()
    {
        var rule = Fixtures.Rule("recent-immunisation", "child.HasWithinDays(\"immunisation\", immunisationDeferralDays)", conditions: "\"immunisation\"", extra: ",\n \"avoidConditionSite\": true");
        var request = SampleRequests.Child(conditions: [SampleRequests.Icd("Z23", status: 1, onset: "2025-01-26", site: 10), SampleRequests.Icd("Z99.89", status: 2), SampleRequests.Icd("Z23", status: 2, onset: "2026-03-02", site: 8)]);
        request = request with { Session = request.Session! with { Areas = [8] } };

        var precaution = Assert.Single(Assess(Checker(rule), request).Precautions, p => p.RuleId == "recent-immunisation");

        // Today's injection site, not last year's; the plan touches it.
        Assert.Equal([BodyArea.Arms], precaution.AvoidAreas);
        Assert.True(precaution.PlanConflict);
        Assert.Equal(["http://hl7.org/fhir/sid/icd-10-cm|Z23"], precaution.TriggeredBy);
    }

    [Fact]
    public void Check_ActiveRecordAndAResolvedOneInsideTheWindow_BothTriggerAndBothSitesAreAvoided()
    {
        var rule = Fixtures.Rule("skin-local", "child.Has(\"skin-local\") || child.HasWithinDays(\"skin-local\", immunisationDeferralDays)", conditions: "\"skin-local\"", extra: ",\n \"avoidConditionSite\": true");
        var request = SampleRequests.Child(conditions: [SampleRequests.Icd("S41.011A", status: 1, site: 8), SampleRequests.Icd("S41.012A", status: 2, onset: "2026-03-01", site: 10)]);

        var precaution = Assert.Single(Assess(Checker(rule), request).Precautions);

        Assert.Equal([BodyArea.Arms, BodyArea.Legs], precaution.AvoidAreas);
        Assert.Equal(["http://hl7.org/fhir/sid/icd-10-cm|S41.011A", "http://hl7.org/fhir/sid/icd-10-cm|S41.012A"], precaution.TriggeredBy);
    }

    [Fact]
    public void Check_RuleThatThrowsWithoutItsRecords_CountsAsFiringThere_SoTheActiveRecordTriggersIt()
    {
        // Fires over both records; throws when both are taken away (counted as firing: the facts alone fire it, with the
        // ACTIVE record); fires over neither one alone. Were the throw counted as not firing, both records would be
        // taken as triggering it together, and the RESOLVED one's site avoided as well.
        var rule = Fixtures.Rule(
            "skin-local",
            "child.Has(\"skin-local\") && child.HasResolved(\"skin-local\") || !child.Has(\"skin-local\") && !child.HasResolved(\"skin-local\") && \"a\".Substring(5) == \"\"",
            conditions: "\"skin-local\"",
            extra: ",\n \"avoidConditionSite\": true");
        var request = SampleRequests.Child(conditions: [SampleRequests.Icd("S41.011A", status: 1, site: 8), SampleRequests.Icd("S41.012A", status: 2, onset: "2026-03-01", site: 10)]);

        var precaution = Assert.Single(Assess(Checker(rule), request).Precautions);

        Assert.Equal([BodyArea.Arms], precaution.AvoidAreas);
        Assert.Equal(["http://hl7.org/fhir/sid/icd-10-cm|S41.011A"], precaution.TriggeredBy);
    }

    [Fact]
    public void Check_FiredByAFactBesideAResolvedRecordTheRuleDoesNotRead_TriggeredByNamesTheFact()
    {
        var request = SampleRequests.Child(conditions: SampleRequests.Icd("R50.9", status: 2)) with { TemperatureCelsius = 38.5 };

        var precaution = Assert.Single(Assess(Checker(Fever), request).Precautions);

        Assert.Equal(["child.TemperatureCelsius"], precaution.TriggeredBy);
    }

    [Theory]
    [InlineData(1, false)]
    [InlineData(2, true)]
    [InlineData(3, true)]
    public void Check_PressureAboveTheLimit_IsAConflict(int pressure, bool conflict)
    {
        var request = SampleRequests.Child(conditions: SampleRequests.Icd("D66"));
        request = request with { Session = request.Session! with { Pressure = pressure } };

        var precaution = Assert.Single(Assess(Checker(Bleeding), request).Precautions);

        Assert.Equal(conflict, precaution.PlanConflict);
        Assert.Equal(Pressure.Light, precaution.MaxPressure);
    }

    [Fact]
    public void Check_ConditionSite_IsAvoidedAndAConflictUsesTheRulesConflictOutcome()
    {
        var request = SampleRequests.Child(conditions: SampleRequests.Icd("S41.011A", site: 8));
        request = request with { Session = request.Session! with { Areas = [8] } };

        var assessment = Assess(Checker(Wound), request);

        var precaution = Assert.Single(assessment.Precautions);
        Assert.Equal([BodyArea.Arms], precaution.AvoidAreas);
        Assert.True(precaution.PlanConflict);
        Assert.Equal(Suitability.NotSuitable, assessment.Suitability);
    }

    [Fact]
    public void Check_UnrecognisedActiveCode_RequiresReviewAndEchoesTheCode()
    {
        var assessment = Assess(Checker(Info), SampleRequests.Child(conditions: SampleRequests.Icd("q99.XYZ")));

        Assert.Equal(Suitability.ClinicianReviewRequired, assessment.Suitability);
        Assert.Equal(new CodeReference("http://hl7.org/fhir/sid/icd-10-cm", "q99.XYZ", Reason: "not in the catalog"), Assert.Single(assessment.Unrecognized));
        var precaution = assessment.Precautions[0];
        Assert.Equal("unrecognized-condition", precaution.RuleId);
        Assert.Equal(["http://hl7.org/fhir/sid/icd-10-cm|q99.XYZ"], precaution.TriggeredBy);
        Assert.NotEmpty(precaution.Evidence.Citations);
    }

    [Fact]
    public void Check_UnrecognisedResolvedCode_IsListedAsInfoOnly()
    {
        var assessment = Assess(Checker(Fever), SampleRequests.Child(conditions: SampleRequests.Icd("Q99.9", status: 2)));

        Assert.Equal(Suitability.Suitable, assessment.Suitability);
        Assert.Single(assessment.Unrecognized);
        var precaution = Assert.Single(assessment.Precautions);
        Assert.Equal(Severity.Info, precaution.Severity);
        Assert.Equal(Suitability.Suitable, precaution.Outcome);
    }

    [Fact]
    public void Check_KnownBenignCode_IsRecognisedAndChangesNothing()
    {
        var assessment = Assess(Checker(Fever), SampleRequests.Child(conditions: SampleRequests.Icd("K00.7")));

        Assert.Equal(Suitability.Suitable, assessment.Suitability);
        Assert.Empty(assessment.Unrecognized);
    }

    [Fact]
    public void Check_ResolvedConditionOfARule_DoesNotFireIt()
    {
        var assessment = Assess(Checker(Fever), SampleRequests.Child(conditions: SampleRequests.Icd("R50.9", status: 2)));

        Assert.Equal(Suitability.Suitable, assessment.Suitability);
    }

    [Theory]
    [InlineData("2026-02-28", true)]
    [InlineData("2026-02-27", false)]
    public void Check_ImmunisationWithinTheParameter_Fires(string onset, bool fires)
    {
        var assessment = Assess(Checker(Immunisation), SampleRequests.Child(conditions: SampleRequests.Icd("Z23", onset: onset)));

        Assert.Equal(fires ? Suitability.NotSuitable : Suitability.Suitable, assessment.Suitability);
    }

    [Fact]
    public void Check_Precautions_AreOrderedMostRestrictiveFirst()
    {
        var request = SampleRequests.Child(conditions: [SampleRequests.Icd("L20.9"), SampleRequests.Icd("D66"), SampleRequests.Icd("R50")]);

        var assessment = Assess(Checker(Info, Eczema, Bleeding, Fever), request);

        Assert.Equal(["fever", "bleeding-risk", "eczema", "school-age-note"], assessment.Precautions.Select(p => p.RuleId));
    }

    [Fact]
    public void Check_SameRequestTwice_GivesTheSameAssessment()
    {
        var checker = Checker(Info, Eczema, Bleeding, Fever);
        var request = SampleRequests.Child(conditions: [SampleRequests.Icd("L20.9"), SampleRequests.Icd("D66")]);

        var first = Assess(checker, request);
        var second = Assess(checker, request);

        Assert.Equal(first.Precautions, second.Precautions, (a, b) => a.RuleId == b.RuleId && a.Outcome == b.Outcome && a.TriggeredBy.SequenceEqual(b.TriggeredBy));
        Assert.Equal(first.Suitability, second.Suitability);
    }

    [Fact]
    public void Check_InvalidRequest_ReturnsViolationsAndNoAssessment()
    {
        var outcome = Checker(Info).Check(SampleRequests.Child(birthDate: "2026-13-45"));

        Assert.False(outcome.IsValid);
        Assert.Contains(outcome.Violations, v => v.Field == "patient.birth_date");
    }

    [Fact]
    public void Check_EvaluationOverItsTimeBudget_FailsClosed()
    {
        using var dir = TempRuleDirectory.WithRules(Info);
        dir.Write("second.json", Fixtures.Workflow("second", Fixtures.Rule("later", "child.AgeDays < 0", "SUITABLE", "INFO")));
        var ruleSet = RuleSetLoader.Load(dir.Path).RuleSet!;
        var checker = new SafetyChecker(ruleSet, TimeProvider.System, TimeSpan.FromTicks(-1));

        var assessment = Assess(checker, SampleRequests.Child());

        Assert.Equal(Suitability.ClinicianReviewRequired, assessment.Suitability);
        Assert.All(assessment.Trace, t => Assert.Contains("time budget", t.Error, StringComparison.Ordinal));
    }
}
