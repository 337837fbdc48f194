using SafetyCheck.Core.Facts;

namespace SafetyCheck.Core.Tests.Facts;

public class TimeZonesTests
{
    [Fact]
    public void TryFind_IdInAnotherCase_IsRefusedBeforeAndAfterTheZoneIsLoaded()
    {
        // .NET keeps loaded zones in a cache that ignores case: the lower-case id must not start resolving once the
        // zone itself has been looked up, or the same request gets two answers from one process.
        Assert.False(TimeZones.TryFind("america/chicago", out _));
        Assert.True(TimeZones.TryFind("America/Chicago", out var zone));
        Assert.Equal("America/Chicago", zone.Id);

        Assert.False(TimeZones.TryFind("america/chicago", out _));
        Assert.False(TimeZones.TryFind("AMERICA/CHICAGO", out _));
        Assert.True(TimeZones.TryFind("America/Chicago", out _));
    }

    [Theory]
    [InlineData("UTC")]
    [InlineData("Etc/UTC")]
    [InlineData("Europe/London")]
    [InlineData("Pacific/Kiritimati")]
    [InlineData("America/St_Johns")]
    public void TryFind_ZoneIds_AreFoundUnderTheirOwnId(string id)
    {
        Assert.True(TimeZones.TryFind(id, out var zone));
        Assert.Equal(id, zone.Id);
    }

    [Theory]
    [InlineData("utc")]
    [InlineData("europe/london")]
    [InlineData("localtime")]
    [InlineData("Mars/Olympus_Mons")]
    public void TryFind_NotAZoneId_IsRefused(string id)
    {
        Assert.False(TimeZones.TryFind(id, out var zone));
        Assert.Null(zone);
    }
}
