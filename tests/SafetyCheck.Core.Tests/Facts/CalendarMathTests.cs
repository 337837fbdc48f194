using System.Globalization;
using SafetyCheck.Core.Facts;

namespace SafetyCheck.Core.Tests.Facts;

public sealed class CalendarMathTests
{
    [Theory]
    [InlineData("2026-03-15", "2026-03-15", 0)]
    [InlineData("2026-03-15", "2026-04-14", 0)]
    [InlineData("2026-03-15", "2026-04-15", 1)]
    // Month end clamping: born on the 31st completes a month on the last day of a shorter month.
    [InlineData("2026-01-31", "2026-02-27", 0)]
    [InlineData("2026-01-31", "2026-02-28", 1)]
    [InlineData("2024-01-31", "2024-02-28", 0)]
    [InlineData("2024-01-31", "2024-02-29", 1)]
    [InlineData("2026-03-31", "2026-04-29", 0)]
    [InlineData("2026-03-31", "2026-04-30", 1)]
    [InlineData("2026-01-31", "2026-03-30", 1)]
    [InlineData("2026-01-31", "2026-03-31", 2)]
    // Born on a leap day.
    [InlineData("2024-02-29", "2024-03-28", 0)]
    [InlineData("2024-02-29", "2024-03-29", 1)]
    [InlineData("2024-02-29", "2025-02-27", 11)]
    [InlineData("2024-02-29", "2025-02-28", 12)]
    [InlineData("2024-02-29", "2028-02-28", 47)]
    [InlineData("2024-02-29", "2028-02-29", 48)]
    // Before the start date the count is floored: one day early is -1, never 0.
    [InlineData("2026-03-15", "2026-03-14", -1)]
    [InlineData("2026-03-15", "2026-02-15", -1)]
    [InlineData("2026-03-15", "2026-02-14", -2)]
    [InlineData("2026-03-31", "2026-02-28", -1)]
    [InlineData("2026-03-31", "2026-02-27", -2)]
    public void CompletedMonths_DatePairs_CountsCompletedCalendarMonths(string from, string to, int expected)
    {
        Assert.Equal(expected, CalendarMath.CompletedMonths(Date(from), Date(to)));
    }

    [Fact]
    public void CompletedMonths_StartPastYear9999_CountsAsIfInRange()
    {
        var to = new DateOnly(9999, 12, 31);
        var from = to.DayNumber + 10; // 10000-01-10, not representable as a DateOnly

        Assert.Equal(-1, CalendarMath.CompletedMonths(from, to.DayNumber));
        Assert.Equal(0, CalendarMath.CompletedMonths(from, from));
    }

    [Theory]
    [InlineData("2007-05-01", "2025-04-30", 17)]
    [InlineData("2007-05-01", "2025-05-01", 18)]
    [InlineData("2014-05-01", "2026-04-30", 11)]
    [InlineData("2014-05-01", "2026-05-01", 12)]
    // Born 29 February: the birthday in a non-leap year is 28 February.
    [InlineData("2024-02-29", "2025-02-27", 0)]
    [InlineData("2024-02-29", "2025-02-28", 1)]
    [InlineData("2024-02-29", "2025-03-01", 1)]
    [InlineData("2008-02-29", "2026-02-27", 17)]
    [InlineData("2008-02-29", "2026-02-28", 18)]
    public void CompletedYears_DatePairs_CountsCompletedYears(string from, string to, int expected)
    {
        Assert.Equal(expected, CalendarMath.CompletedYears(Date(from), Date(to)));
    }

    [Fact]
    public void CompletedYears_EndBeforeStart_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => CalendarMath.CompletedYears(Date("2026-01-02"), Date("2026-01-01")));
    }

    [Theory]
    // 23:30Z on 1 March is already 2 March in Auckland (UTC+13) and still 1 March in Los Angeles (UTC-8).
    [InlineData("2026-03-01T23:30:00Z", "UTC", "2026-03-01")]
    [InlineData("2026-03-01T23:30:00Z", "Pacific/Auckland", "2026-03-02")]
    [InlineData("2026-03-01T23:30:00Z", "America/Los_Angeles", "2026-03-01")]
    [InlineData("2026-03-02T05:00:00Z", "UTC", "2026-03-02")]
    [InlineData("2026-03-02T05:00:00Z", "America/Los_Angeles", "2026-03-01")]
    [InlineData("2026-03-02T05:00:00Z", "Pacific/Auckland", "2026-03-02")]
    // Around a daylight-saving change: London is UTC+1 from 29 March 2026.
    [InlineData("2026-03-28T23:30:00Z", "Europe/London", "2026-03-28")]
    [InlineData("2026-03-29T23:30:00Z", "Europe/London", "2026-03-30")]
    public void TryGetLocalDate_InstantNearMidnight_UsesTheZoneCalendarDate(string instant, string zoneId, string expected)
    {
        var zone = TimeZoneInfo.FindSystemTimeZoneById(zoneId);

        Assert.True(CalendarMath.TryGetLocalDate(Instant(instant), zone, out var date));
        Assert.Equal(Date(expected), date);
    }

    [Theory]
    [InlineData("9999-12-31T23:00:00Z", "Pacific/Kiritimati")]
    [InlineData("0001-01-01T01:00:00Z", "America/Los_Angeles")]
    public void TryGetLocalDate_LocalDateOutsideRange_ReturnsFalse(string instant, string zoneId)
    {
        var zone = TimeZoneInfo.FindSystemTimeZoneById(zoneId);

        Assert.False(CalendarMath.TryGetLocalDate(Instant(instant), zone, out _));
    }

    private static DateOnly Date(string text) => DateOnly.ParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static DateTimeOffset Instant(string text) =>
        DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);
}
