using SafetyCheck.Audit.Pseudonyms;

namespace SafetyCheck.Audit.Tests.Pseudonyms;

public class PseudonymKeyComparisonTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 6, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public void OtherKeysInUse_SameKeyEverywhere_None()
    {
        ChainKeyUse[] uses = [new("node-a", "k-e5ce5133", 10, Now), new("node-b", "k-e5ce5133", 4, Now.AddMinutes(-5))];

        Assert.Empty(PseudonymKeyComparison.OtherKeysInUse(uses, "k-e5ce5133"));
        Assert.Empty(PseudonymKeyComparison.OtherKeysInUse([], "k-e5ce5133"));
    }

    [Fact]
    public void OtherKeysInUse_AnInstanceWithAnotherKey_NamesEveryChainInUse_InChainOrder()
    {
        ChainKeyUse[] uses = [new("node-c", "k-e5ce5133", 3, Now), new("node-a", "k-e5ce5133", 10, Now.AddMinutes(-2)), new("node-b", "k-e5ce5133", 7, Now.AddMinutes(-1))];

        var others = PseudonymKeyComparison.OtherKeysInUse(uses, "k-a1a24d9e");

        Assert.Equal(["node-a", "node-b", "node-c"], others.Select(u => u.Chain));
    }

    [Fact]
    public void OtherKeysInUse_ChainsThatStoppedAnHourBeforeTheNewest_AreHistory()
    {
        // After a rotation: the old key's chains stopped more than an hour before the newest decision (the new key's).
        ChainKeyUse[] uses = [
            new("pod-1", "k-old", 900, Now.AddHours(-3)),
            new("pod-2", "k-old", 800, Now.AddMinutes(-61)),
            new("pod-3", "k-old", 700, Now.AddMinutes(-59)),
            new("pod-4", "k-new", 20, Now)];

        Assert.Equal(["pod-3"], PseudonymKeyComparison.OtherKeysInUse(uses, "k-new").Select(u => u.Chain));
        Assert.Equal(["pod-4"], PseudonymKeyComparison.OtherKeysInUse(uses, "k-old").Select(u => u.Chain));
    }

    [Fact]
    public void OtherKeysInUse_AnIdleStore_ComparedWithItsLatestDecisionsHoweverOld()
    {
        ChainKeyUse[] uses = [new("node-a", "k-e5ce5133", 10, Now.AddDays(-3))];

        Assert.Single(PseudonymKeyComparison.OtherKeysInUse(uses, "k-a1a24d9e"));
    }

    [Fact]
    public void Describe_NamesChainKeySequenceAndTime_MarkingThisInstancesOwnChain()
    {
        ChainKeyUse[] others = [new("node-a", "k-e5ce5133", 10, Now), new("node-d", "k-old", 3, Now.AddMinutes(-1))];

        Assert.Equal(
            "node-a: k-e5ce5133 (sequence 10, 2026-12-06T09:00:00.0000000Z), node-d (this instance's chain, before this start): k-old (sequence 3, 2026-12-06T08:59:00.0000000Z)",
            PseudonymKeyComparison.Describe(others, "node-d"));
    }

    [Fact]
    public void MixedKeysNote_OneKey_None_TwoKeys_EachWithItsChains_MostChainsFirst()
    {
        ChainKeyUse[] one = [new("node-a", "k-e5ce5133", 10, Now), new("node-b", "k-e5ce5133", 4, Now)];
        ChainKeyUse[] two = [.. one, new("node-c", "k-e5ce5133", 2, Now), new("node-d", "k-a1a24d9e", 1, Now)];

        Assert.Null(PseudonymKeyComparison.MixedKeysNote(one));
        Assert.Null(PseudonymKeyComparison.MixedKeysNote([]));
        Assert.Equal(
            "note: the chains' latest decisions carry 2 pseudonym keys: k-e5ce5133 (node-a, node-b, node-c); k-a1a24d9e (node-d); a patient recorded under one key cannot be linked with the same patient under another",
            PseudonymKeyComparison.MixedKeysNote(two));
    }

    [Fact]
    public void MixedKeysNote_ManyChains_NamesAFewPerKey()
    {
        ChainKeyUse[] uses = [.. Enumerable.Range(1, 8).Select(i => new ChainKeyUse($"pod-{i}", "k-old", i, Now)), new("pod-9", "k-new", 1, Now)];

        Assert.StartsWith(
            "note: the chains' latest decisions carry 2 pseudonym keys: k-old (pod-1, pod-2, pod-3, pod-4, pod-5 and 3 more); k-new (pod-9);",
            PseudonymKeyComparison.MixedKeysNote(uses),
            StringComparison.Ordinal);
    }

    [Fact]
    public void OtherKeysInUse_TheSingleChainOfSqlite_ItsLatestDecisionWhenItsKeyDiffers()
    {
        ChainKeyUse[] latest = [new("", "k-old", 40, Now.AddDays(-30))];

        Assert.Equal([("", "k-old", 40L)], PseudonymKeyComparison.OtherKeysInUse(latest, "k-new").Select(u => (u.Chain, u.KeyId, u.Sequence)));
        Assert.Empty(PseudonymKeyComparison.OtherKeysInUse(latest, "k-old"));
    }

    [Fact]
    public void KeyChangeNote_NamesTheSequenceAfterWhichTheKeyChanged_NoneWhenItNeverDid()
    {
        var latest = new ChainKeyUse("", "k-new", 40, Now);

        Assert.Null(PseudonymKeyComparison.KeyChangeNote(latest, before: null));
        Assert.Equal(
            "note: the chain's decisions changed pseudonym key after sequence 12: k-old up to it (2026-12-06T08:00:00.0000000Z), k-new in its latest decision that names a patient (sequence 40); a patient recorded under one key cannot be linked with the same patient under another",
            PseudonymKeyComparison.KeyChangeNote(latest, new ChainKeyUse("", "k-old", 12, Now.AddHours(-1))));
    }
}
