namespace SafetyCheck.Core.Facts;

/// <summary>
/// Calendar arithmetic shared by validation and fact derivation, so that "the as_of date" and "completed months"
/// mean exactly the same thing in both.
/// </summary>
/// <remarks>
/// <para>
/// <b>Completed months</b> follow the NodaTime <c>Period.Between</c> convention: month <c>m</c> after a start date
/// is the same day-of-month <c>m</c> months later, clamped to the end of a shorter month, and is complete once that
/// date is reached. Born 31 January: one month is complete on 28 February (29 in a leap year). Born 29 February:
/// one month on 29 March, twelve months on 28 February of a non-leap year.
/// </para>
/// <para>
/// <b>Completed years</b> are completed months / 12, so a child born on 29 February turns one on 28 February of a
/// non-leap year (and turns 18 on 28 February when the 18th anniversary year is not a leap year).
/// </para>
/// <para>
/// <b>Before the start date</b> (corrected age before the due date) the count is the greatest <c>m</c> such that
/// month <c>m</c> after the start is on or before the end date, i.e. a floor: one day before the due date is
/// −1 month, never 0. So completed months are negative exactly when the day difference is negative.
/// </para>
/// </remarks>
internal static class CalendarMath
{
    /// <summary>Days in 400 Gregorian years; shifting both dates by it leaves month counts unchanged.</summary>
    private const int DaysPer400Years = 146_097;

    /// <summary>
    /// The calendar date of <paramref name="instant"/> in <paramref name="zone"/>; false when that local date lies
    /// outside 0001-01-01 to 9999-12-31 (an instant at either end of the range in a zone with a large offset).
    /// </summary>
    public static bool TryGetLocalDate(DateTimeOffset instant, TimeZoneInfo zone, out DateOnly date)
    {
        ArgumentNullException.ThrowIfNull(zone);
        var offset = zone.GetUtcOffset(instant);
        var localTicks = instant.UtcTicks + offset.Ticks;
        if (localTicks < DateTime.MinValue.Ticks || localTicks > DateTime.MaxValue.Ticks)
        {
            date = default;
            return false;
        }

        date = DateOnly.FromDateTime(new DateTime(localTicks, DateTimeKind.Unspecified));
        return true;
    }

    /// <summary>Completed calendar months from <paramref name="from"/> to <paramref name="to"/> (see remarks); negative when <paramref name="to"/> is earlier.</summary>
    public static int CompletedMonths(DateOnly from, DateOnly to) => CompletedMonths(from.DayNumber, to.DayNumber);

    /// <summary>
    /// Completed calendar months between two day numbers (<see cref="DateOnly.DayNumber"/>). The start may lie past
    /// 9999-12-31 (a due date computed from a birth date at the very end of the range).
    /// </summary>
    public static int CompletedMonths(int fromDayNumber, int toDayNumber)
    {
        var max = DateOnly.MaxValue.DayNumber;
        if (fromDayNumber > max || toDayNumber > max)
        {
            // The Gregorian calendar repeats every 400 years, weekday and leap pattern alike.
            fromDayNumber -= DaysPer400Years;
            toDayNumber -= DaysPer400Years;
        }

        var from = DateOnly.FromDayNumber(fromDayNumber);
        var to = DateOnly.FromDayNumber(toDayNumber);
        var months = ((to.Year - from.Year) * 12) + (to.Month - from.Month);

        // Month "months" after from falls in to's month, on from's day clamped to that month's length.
        var anniversaryDay = Math.Min(from.Day, DateTime.DaysInMonth(to.Year, to.Month));
        return anniversaryDay > to.Day ? months - 1 : months;
    }

    /// <summary>Completed years from <paramref name="from"/> to <paramref name="to"/>: completed months / 12 (see remarks); <paramref name="from"/> must not be after <paramref name="to"/>.</summary>
    public static int CompletedYears(DateOnly from, DateOnly to)
    {
        var months = CompletedMonths(from, to);
        return months < 0 ? throw new ArgumentOutOfRangeException(nameof(to), to, "The end date is before the start date.") : months / 12;
    }
}
