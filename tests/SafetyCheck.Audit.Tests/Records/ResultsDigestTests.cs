using SafetyCheck.Audit.Records;
using SafetyCheck.Core.Domain;
using SafetyCheck.Core.Evaluation;
using static SafetyCheck.Audit.Tests.Support.AuditTestSupport;

namespace SafetyCheck.Audit.Tests.Records;

public class ResultsDigestTests
{
    private static readonly DecisionResult Result = DecisionResult.Of(Assess(DefaultRules, Request("R50.9", "L20.9")));

    [Fact]
    public void Of_AnAssessment_IsTheDigestOfItsResult()
    {
        var assessment = Assess(DefaultRules, Request("R50.9", "L20.9"));

        Assert.Equal(ResultsDigest.Of(DecisionResult.Of(assessment)), ResultsDigest.Of(assessment));
        Assert.Matches("^[0-9a-f]{64}$", ResultsDigest.Of(assessment));
    }

    [Fact]
    public void Of_AssessmentsOfTwoRevisionsInTurn_EachIsTheDigestOfItsResult()
    {
        // The rules' bytes are kept for the revision digested last: a revision coming back, or another one, must not
        // be digested with the other revision's bytes, and a rule that fired in one request did not in the next.
        var other = Load(FeverRule, InfoRule);
        var assessments = new[]
        {
            Assess(DefaultRules, Request("R50.9", "L20.9")),
            Assess(DefaultRules, Request()),
            Assess(other, Request("R50.9")),
            Assess(DefaultRules, Request("L20.9")),
            Assess(other, Request()),
            Assess(DefaultRules, Request("R50.9", "L20.9")),
        };

        foreach (var assessment in assessments)
        {
            Assert.Equal(ResultsDigest.Of(DecisionResult.Of(assessment)), ResultsDigest.Of(assessment));
            Assert.Equal(ResultsDigest.Of(DecisionResult.Of(assessment)), ResultsDigest.Of(assessment));
        }

        Assert.Equal(ResultsDigest.Of(assessments[0]), ResultsDigest.Of(assessments[5]));
        Assert.NotEqual(ResultsDigest.Of(assessments[0]), ResultsDigest.Of(assessments[3]));
    }

    public static TheoryData<string, DecisionResult> Changed => new()
    {
        { "avoid areas", Result with { Precautions = [Result.Precautions[0], Result.Precautions[1] with { AvoidAreas = [BodyArea.Back] }, Result.Precautions[2]] } },
        { "severity", Result with { Precautions = [Result.Precautions[0] with { Severity = Severity.Warning }, .. Result.Precautions.Skip(1)] } },
        { "plan conflict", Result with { Precautions = [Result.Precautions[0] with { PlanConflict = true }, .. Result.Precautions.Skip(1)] } },
        { "triggers", Result with { Precautions = [Result.Precautions[0] with { TriggeredBy = ["child.TemperatureCelsius"] }, .. Result.Precautions.Skip(1)] } },
        { "order", Result with { Precautions = [.. Result.Precautions.Reverse()] } },
        { "a rule's result", Result with { Rules = [new RuleOutcome(Result.Rules[0].RuleId, false, "boom"), .. Result.Rules.Skip(1)] } },
        { "benefits", Result with { Benefits = ["benefit-x"] } },
    };

    [Theory]
    [MemberData(nameof(Changed))]
    public void Of_AnyDetailChanged_Differs(string what, DecisionResult changed)
    {
        Assert.True(ResultsDigest.Of(Result) != ResultsDigest.Of(changed), what);
    }

    [Fact]
    public void Of_ErrorMessage_IsNotPartOfIt()
    {
        var errored = Result with { Rules = [new RuleOutcome(Result.Rules[0].RuleId, false, "first message"), .. Result.Rules.Skip(1)] };
        var otherMessage = Result with { Rules = [new RuleOutcome(Result.Rules[0].RuleId, false, "second message"), .. Result.Rules.Skip(1)] };

        Assert.Equal(ResultsDigest.Of(errored), ResultsDigest.Of(otherMessage));
    }
}
