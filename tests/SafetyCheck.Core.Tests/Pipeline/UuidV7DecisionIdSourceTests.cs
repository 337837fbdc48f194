using Microsoft.Extensions.Time.Testing;
using SafetyCheck.Core.Pipeline;

namespace SafetyCheck.Core.Tests.Pipeline;

public sealed class UuidV7DecisionIdSourceTests
{
    private static readonly DateTimeOffset Now = new(2025, 6, 1, 9, 30, 0, 123, TimeSpan.Zero);

    [Fact]
    public void Next_CarriesTheClockMillisecondsVersionAndVariant()
    {
        var source = new UuidV7DecisionIdSource(new FakeTimeProvider(Now));

        var id = source.Next();

        Assert.Matches("^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$", id);
        var hex = id.Replace("-", "", StringComparison.Ordinal)[..12];
        Assert.Equal(Now.ToUnixTimeMilliseconds(), Convert.ToInt64(hex, 16));
    }

    [Fact]
    public void Next_ManyInOneMillisecond_AreUnique()
    {
        var source = new UuidV7DecisionIdSource(new FakeTimeProvider(Now));

        var ids = Enumerable.Range(0, 10_000).Select(_ => source.Next()).ToHashSet();

        Assert.Equal(10_000, ids.Count);
    }

    [Fact]
    public void Next_LaterMillisecond_SortsAfter()
    {
        var clock = new FakeTimeProvider(Now);
        var source = new UuidV7DecisionIdSource(clock);

        var first = source.Next();
        clock.Advance(TimeSpan.FromMilliseconds(1));
        var second = source.Next();

        Assert.True(string.CompareOrdinal(first, second) < 0, $"{first} !< {second}");
    }
}
