using SafetyCheck.Audit.Replay;

namespace SafetyCheck.Audit.Tests.Replay;

public class ImpactTallyTests
{
    private static ReplayResult Differs(params ReplayDifference[] differences) => new(ReplayStatus.Differs, "candidate", differences, "");

    private static readonly ReplayResult Same = new(ReplayStatus.Match, "candidate", [], "");

    [Fact]
    public void Add_MixedComparisons_CountsVerdictChangesOtherChangesAndTheRulesResponsible()
    {
        var tally = new ImpactTally(examples: 2);

        tally.Add("d1", "r1", Differs(new ReplayDifference("verdict", "SUITABLE", "NOT_SUITABLE"), new ReplayDifference("precautions[fever]", "absent", "NOT_SUITABLE"), new ReplayDifference("rules[fever]", "not_fired", "fired")));
        tally.Add("d2", "r1", Differs(new ReplayDifference("verdict", "SUITABLE", "NOT_SUITABLE"), new ReplayDifference("precautions[fever]", "absent", "NOT_SUITABLE"), new ReplayDifference("rules[fever]", "not_fired", "fired")));
        tally.Add("d3", "r2", Differs(new ReplayDifference("verdict", "SUITABLE", "NOT_SUITABLE"), new ReplayDifference("rules[fever]", "not_fired", "fired")));
        tally.Add("d4", "r2", Differs(new ReplayDifference("precautions[eczema].max_pressure", "LIGHT", "MODERATE")));
        tally.Add("d5", "r2", Same);
        tally.AddUnreadable();

        Assert.Equal((5L, 3L, 1L, 1L, 1L), (tally.Decisions, tally.VerdictChanged, tally.OtherChanged, tally.Unchanged, tally.Unreadable));
        var change = Assert.Single(tally.VerdictChanges);
        Assert.Equal(new VerdictChange("SUITABLE", "NOT_SUITABLE", 3, ["d1", "d2"]) with { Examples = change.Examples }, change);
        Assert.Equal(["d1", "d2"], change.Examples);
        Assert.Equal(["fever", "eczema"], tally.RuleChanges.Select(r => r.RuleId));
        var fever = tally.RuleChanges[0];
        Assert.Equal((3L, 3L), (fever.Decisions, fever.VerdictChanged));
        Assert.Equal([new RuleTransition("not_fired → fired", 3)], fever.Transitions);
        var eczema = tally.RuleChanges[1];
        Assert.Equal((1L, 0L), (eczema.Decisions, eczema.VerdictChanged));
        Assert.Equal([new RuleTransition("max_pressure LIGHT → MODERATE", 1)], eczema.Transitions);
        Assert.Equal([KeyValuePair.Create("r1", 2L), KeyValuePair.Create("r2", 3L)], tally.Revisions);
    }

    [Fact]
    public void Add_PrecautionGoneWithoutARuleResult_CountsThePresenceChange()
    {
        var tally = new ImpactTally();

        tally.Add("d1", "r1", Differs(new ReplayDifference("precautions[fever]", "present", "absent"), new ReplayDifference("results_digest", "a", "b")));

        Assert.Equal([new RuleTransition("precaution present → absent", 1)], Assert.Single(tally.RuleChanges).Transitions);
    }

    [Fact]
    public void Add_RuleAddedOrRemovedThatDoesNotFire_ChangesNothing()
    {
        var tally = new ImpactTally();

        tally.Add("d1", "r1", Differs(new ReplayDifference("rules[new-rule]", "absent", "not_fired"), new ReplayDifference("rules[old-rule]", "not_fired", "absent")));
        tally.Add("d2", "r1", Differs(new ReplayDifference("rules[new-rule]", "absent", "fired"), new ReplayDifference("rules[old-rule]", "not_fired", "absent")));

        Assert.Equal((2L, 1L, 1L), (tally.Decisions, tally.OtherChanged, tally.Unchanged));
        Assert.Equal("new-rule", Assert.Single(tally.RuleChanges).RuleId);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(101)]
    public void Constructor_ExamplesOutOfRange_Throws(int examples) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new ImpactTally(examples));
}
