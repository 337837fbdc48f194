using SafetyCheck.Core.Domain;
using SafetyCheck.Core.Evaluation;
using SafetyCheck.Core.Rules;
using SafetyCheck.Core.Tests.Support;

namespace SafetyCheck.Core.Tests.Evaluation;

/// <summary>
/// The compiled rules of a revision: errors fail closed with RulesEngine's own wording, the index skips only rules
/// that cannot fire, the budget still fails closed, and the trace is the revision's shared values.
/// </summary>
public sealed class CompiledRulesTests
{
    // Within the vocabulary, a sum of decimal literals past decimal's range throws every time it is evaluated.
    private static readonly string Throws = Fixtures.Rule("throws", "79228162514264337593543950335.0m + 1.0m > 0.0m");
    private static readonly string Overflows = Fixtures.Rule("overflows", "child.AgeYears >= 0 && 0.0m - 79228162514264337593543950335.0m - 1.0m < 0.0m");
    private static readonly string EczemaThenOverflows = Fixtures.Rule(
        "eczema-then-overflows", "child.Has(\"eczema\") && 79228162514264337593543950335.0m + 1.0m > 0.0m", conditions: "\"eczema\"");
    private static readonly string Eczema = Fixtures.Rule("eczema", "child.Has(\"eczema\")", "SUITABLE_WITH_PRECAUTIONS", "CAUTION", "\"eczema\"");
    private static readonly string Fever = Fixtures.Rule("fever", "child.Has(\"fever\") || child.TemperatureCelsius.AtLeast(feverThresholdCelsius)", conditions: "\"fever\"");
    private static readonly string School = Fixtures.Rule("school-age-note", "child.AgeYears >= 3", "SUITABLE", "INFO");

    [Fact]
    public void Execute_RuleThatThrows_ErrorsWithRulesEngineWording()
    {
        var ruleSet = Load(Throws, Overflows, School);
        var assessment = Assess(ruleSet, SampleRequests.Child());

        var reference = new SafetyChecker(ruleSet, TimeProvider.System).Evaluate(Input(assessment), EvaluationPath.RulesEngine);

        Assert.Equal(Suitability.ClinicianReviewRequired, assessment.Suitability);
        Assert.Equal("Error while executing rule : throws - Value was either too large or too small for a Decimal.", assessment.Trace[0].Error);
        Assert.Equal("Error while executing rule : overflows - Value was either too large or too small for a Decimal.", assessment.Trace[1].Error);
        Assert.Equal(reference.Trace, assessment.Trace);
        Assert.Contains(assessment.Precautions, p => p.RuleId == "throws" && p.Detail.Contains(assessment.Trace[0].Error!, StringComparison.Ordinal));
    }

    [Fact]
    public void Execute_DeclaredConditionAbsent_RuleIsSkippedAndNotFired()
    {
        var ruleSet = Load(EczemaThenOverflows, Eczema, Fever, School);
        var assessment = Assess(ruleSet, SampleRequests.Child());

        Assert.Equal([false, false, false, true], assessment.Trace.Select(t => t.Fired));
        Assert.All(assessment.Trace, t => Assert.Null(t.Error));
        Assert.Equal(["fever", "school-age-note"], Candidates(ruleSet, assessment));
    }

    [Fact]
    public void Execute_DeclaredConditionPresent_RuleIsEvaluated()
    {
        var ruleSet = Load(EczemaThenOverflows, Eczema, Fever, School);
        var assessment = Assess(ruleSet, SampleRequests.Child(conditions: SampleRequests.Icd("L20.9", status: 2)));

        // A resolved eczema is "present" for the index (any status); Has asks for an active one, so nothing throws.
        Assert.Equal(["eczema-then-overflows", "eczema", "fever", "school-age-note"], Candidates(ruleSet, assessment));
        Assert.All(assessment.Trace, t => Assert.Null(t.Error));

        var active = Assess(ruleSet, SampleRequests.Child(conditions: SampleRequests.Icd("L20.9")));

        Assert.StartsWith("Error while executing rule : eczema-then-overflows - ", active.Trace[0].Error, StringComparison.Ordinal);
        Assert.True(active.Trace[1].Fired);
    }

    [Fact]
    public void Execute_BudgetSpent_RulesTheIndexSkipsStayNotFiredAndTheRestFailClosed()
    {
        var ruleSet = Load(Eczema, Fever, School);
        var checker = new SafetyChecker(ruleSet, TimeProvider.System, TimeSpan.FromTicks(-1));

        var assessment = checker.Check(SampleRequests.Child()).Assessment!;

        Assert.Equal(Suitability.ClinicianReviewRequired, assessment.Suitability);
        Assert.Equal(new RuleOutcome("eczema", false, null), assessment.Trace[0]);
        Assert.All(assessment.Trace.Skip(1), t => Assert.Contains("time budget of -0.0001 ms", t.Error, StringComparison.Ordinal));
    }

    [Fact]
    public void Execute_Cancelled_Throws()
    {
        var ruleSet = Load(Eczema, Fever, School);
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();

        Assert.Throws<OperationCanceledException>(() => new SafetyChecker(ruleSet, TimeProvider.System).Check(SampleRequests.Child(), cancelled.Token));
    }

    [Fact]
    public void Index_RulesThatReadFacts_AreEvaluatedForEveryChild()
    {
        var ruleSet = Load(EczemaThenOverflows, Eczema, Fever, School);

        Assert.Equal(2, ruleSet.Compiled.Index.AlwaysEvaluated);
        Assert.Equal(["eczema"], ruleSet.Compiled[0].RequiredConditions);
        Assert.Null(ruleSet.Compiled[2].RequiredConditions);
    }

    [Fact]
    public void Trace_ReadTwice_GivesTheRevisionsSharedOutcomes()
    {
        var ruleSet = Load(Eczema, School);
        var first = Assess(ruleSet, SampleRequests.Child());
        var second = Assess(ruleSet, SampleRequests.Child());

        Assert.Same(first.Trace[0], second.Trace[0]);
        Assert.Same(first.Trace[1], second.Trace[1]);
        Assert.Equal(2, first.Trace.Count);
        Assert.Throws<ArgumentOutOfRangeException>(() => first.Trace[2]);
    }

    [Fact]
    public void Evaluate_EveryPath_GivesTheSameTrace()
    {
        var ruleSet = Load(EczemaThenOverflows, Eczema, Fever, School, Throws);
        var checker = new SafetyChecker(ruleSet, TimeProvider.System);
        foreach (var request in new[] { SampleRequests.Child(), SampleRequests.Child(conditions: SampleRequests.Icd("L20.9")), SampleRequests.Child("2026-02-20", SampleRequests.Icd("R50.9")) })
        {
            var input = Input(Assess(ruleSet, request));

            var indexed = checker.Evaluate(input, EvaluationPath.Indexed);

            Assert.Equal(checker.Evaluate(input, EvaluationPath.RulesEngine).Trace, indexed.Trace);
            Assert.Equal(checker.Evaluate(input, EvaluationPath.EveryRule).Trace, indexed.Trace);
        }
    }

    private static RuleSet Load(params string[] rules)
    {
        using var dir = TempRuleDirectory.WithRules(string.Join(",\n", rules));
        var result = RuleSetLoader.Load(dir.Path);
        Assert.True(result.Succeeded, string.Join("\n", result.Diagnostics));
        return result.RuleSet;
    }

    private static Assessment Assess(RuleSet ruleSet, Requests.UnvalidatedRequest request)
    {
        var outcome = new SafetyChecker(ruleSet, TimeProvider.System).Check(request);
        Assert.True(outcome.IsValid, string.Join("; ", outcome.Violations));
        return outcome.Assessment;
    }

    private static EvaluationInput Input(Assessment a) => new(a.RequestId, a.PatientRef, a.AsOf, a.TimeZoneId, a.Facts, a.Unrecognized);

    private static List<string> Candidates(RuleSet ruleSet, Assessment assessment)
    {
        Span<ulong> candidates = stackalloc ulong[ruleSet.Compiled.Index.Words];
        ruleSet.Compiled.Index.Candidates(assessment.Facts, candidates);
        var ids = new List<string>();
        for (var i = 0; i < ruleSet.Compiled.Count; i++)
        {
            if ((candidates[i >> 6] & (1UL << i)) != 0)
            {
                ids.Add(ruleSet.Compiled[i].RuleId);
            }
        }

        return ids;
    }
}
