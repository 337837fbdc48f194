using SafetyCheck.CdsHooks;

namespace SafetyCheck.IntegrationTests.CdsHooks;

public sealed class CardIdsTests
{
    private const string Decision = "01960000-1234-7abc-8def-0123456789ab";

    [Fact]
    public void For_EveryIndex_DistinctUuidsOfVersion7_VerdictCardIsTheDecisionId()
    {
        var ids = Enumerable.Range(0, CardIds.MaxIndex + 1).Select(i => CardIds.For(Decision, i)).ToArray();

        Assert.Equal(Decision, ids[0]);
        Assert.Equal(ids.Length, ids.Distinct().Count());
        Assert.All(ids, id => Assert.Equal(7, Guid.Parse(id).Version));
    }

    [Fact]
    public void DecisionCandidates_OfAnyCard_IncludeItsDecision()
    {
        Assert.All(Enumerable.Range(0, CardIds.MaxIndex + 1), i => Assert.Contains(Decision, CardIds.DecisionCandidates(CardIds.For(Decision, i))));
        Assert.Empty(CardIds.DecisionCandidates("card-1"));
    }
}
