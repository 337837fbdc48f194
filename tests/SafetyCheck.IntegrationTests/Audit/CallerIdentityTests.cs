using SafetyCheck.Audit;
using SafetyCheck.Audit.Records;

namespace SafetyCheck.IntegrationTests.Audit;

public sealed class CallerIdentityTests
{
    [Theory]
    [InlineData(null)]
    [InlineData("physio-app")]
    public void ForRecord_UpToTheLimit_Unchanged(string? caller) =>
        Assert.Equal(caller, CallerIdentity.ForRecord(caller));

    [Fact]
    public void ForRecord_TooLong_KeepsAPrefixAndTellsLongNamesApart()
    {
        var first = CallerIdentity.ForRecord(new string('a', 300) + "1")!;
        var second = CallerIdentity.ForRecord(new string('a', 300) + "2")!;

        Assert.InRange(first.Length, 1, DecisionRecordFactory.MaxCallerLength);
        Assert.StartsWith(new string('a', 200), first, StringComparison.Ordinal);
        Assert.NotEqual(first, second);
    }
}
