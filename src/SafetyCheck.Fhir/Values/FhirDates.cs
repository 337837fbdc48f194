using System.Globalization;
using Hl7.Fhir.Model;
using SystemDateTime = Hl7.Fhir.ElementModel.Types.DateTime;
using SystemDate = Hl7.Fhir.ElementModel.Types.Date;
using Precision = Hl7.Fhir.ElementModel.Types.DateTimePrecision;

namespace SafetyCheck.Fhir.Values;

/// <summary>
/// FHIR dates, dateTimes, Periods and Ages as the calendar dates they can denote in the session's time zone. The SDK
/// parses each value and gives its range at its own precision; this class only reads that range as local dates.
/// </summary>
internal static class FhirDates
{
    /// <summary>
    /// An exact calendar date (<c>YYYY-MM-DD</c>) from a FHIR <c>date</c>; false for a partial date (year, or year and
    /// month), with <paramref name="precision"/> saying which.
    /// </summary>
    public static bool TryGetExactDate(Date value, out DateOnly date, out string precision)
    {
        date = default;
        precision = "";
        if (value.Value is null || !value.TryToSystemDate(out SystemDate? parsed) || parsed is null)
        {
            precision = "an unreadable date";
            return false;
        }

        switch (parsed.Precision)
        {
            case Precision.Year:
                precision = "a year only (YYYY)";
                return false;
            case Precision.Month:
                precision = "a year and month only (YYYY-MM)";
                return false;
            default:
                date = DateOnly.ParseExact(value.Value.AsSpan(0, 10), "yyyy-MM-dd", CultureInfo.InvariantCulture);
                return true;
        }
    }

    /// <summary>The local dates a dateTime can denote; a value without a time zone is read as wall-clock time in <paramref name="zone"/>.</summary>
    public static DateSpan? Span(FhirDateTime value, TimeZoneInfo zone)
    {
        var range = Range(value, zone);
        return range is { } r ? ToSpan(r.Start, r.End, zone) : null;
    }

    /// <summary>
    /// The instants a dateTime can denote, closed below and open above; null when it cannot be read. A date-only
    /// value covers the whole local day.
    /// </summary>
    public static (DateTimeOffset Start, DateTimeOffset End)? Range(FhirDateTime value, TimeZoneInfo zone)
    {
        if (value.Value is null || !value.TryToSystemDateTime(out SystemDateTime? parsed) || parsed is null)
        {
            return null;
        }

        var range = parsed.GetRange(zone);
        return (range.Start ?? DateTimeOffset.MinValue, range.End ?? DateTimeOffset.MaxValue);
    }

    /// <summary>
    /// The first instant of a planned time (a session's start): a dateTime of at least a full date (a date alone is its
    /// first instant in <paramref name="zone"/>). A year or year-month is no time to compute ages at, and the check does
    /// not guess one: null, with <paramref name="problem"/> saying why.
    /// </summary>
    public static DateTimeOffset? PlannedStart(FhirDateTime value, TimeZoneInfo zone, out string problem)
    {
        problem = "";
        if (value.Value is null || !value.TryToSystemDateTime(out SystemDateTime? parsed) || parsed is null)
        {
            problem = "is not a FHIR dateTime";
            return null;
        }

        if (parsed.Precision is Precision.Year or Precision.Month)
        {
            problem = $"is {(parsed.Precision == Precision.Year ? "a year only (YYYY)" : "a year and month only (YYYY-MM)")} ('{value.Value}'): the session's date and time are needed (at least YYYY-MM-DD), and the check does not guess a day";
            return null;
        }

        return Range(value, zone)?.Start;
    }

    /// <summary>
    /// The instants an <c>instant</c> denotes (one instant, as a range one tick wide). The calendar's last tick
    /// (<c>9999-12-31T23:59:59.9999999</c>, in UTC or on the local clock) has no next one: its range ends where it
    /// starts.
    /// </summary>
    public static (DateTimeOffset Start, DateTimeOffset End)? Range(Instant value) =>
        value.Value is { } at ? (at, OneTickLater(at)) : null;

    /// <summary>
    /// The local dates from the earliest <paramref name="period"/>.start can be to the latest its end can be; a
    /// missing end reads as the start alone, a missing start as the end alone; null when neither can be read.
    /// </summary>
    public static DateSpan? Span(Period period, TimeZoneInfo zone)
    {
        var start = period.StartElement is { } s ? Span(s, zone) : null;
        var end = period.EndElement is { } e ? Span(e, zone) : null;
        return (start, end) switch
        {
            ({ } a, { } b) => new DateSpan(a.First, b.Last < a.First ? a.First : b.Last),
            ({ } a, null) => a,
            (null, { } b) => b,
            _ => null,
        };
    }

    /// <summary>
    /// The local dates an <c>Age</c> after <paramref name="birth"/> can denote at the precision of its unit: <c>2 a</c>
    /// is from the second birthday to the day before the third. Units are UCUM <c>a</c>, <c>mo</c>, <c>wk</c> and
    /// <c>d</c>; years and months must be whole numbers. Null, with <paramref name="problem"/>, otherwise.
    /// </summary>
    public static DateSpan? Span(Age age, DateOnly birth, out string problem)
    {
        problem = "";
        if (age.Value is not { } value || value < 0)
        {
            problem = "has no value, or a negative one";
            return null;
        }

        if (age.Comparator is not null)
        {
            problem = "has a comparator, so it is not an exact age";
            return null;
        }

        var unit = age.Code ?? age.Unit;
        try
        {
            switch (unit)
            {
                case "a" or "mo" when decimal.Truncate(value) != value:
                    problem = "is not a whole number of years or months";
                    return null;
                case "a":
                    var years = (int)value;
                    return new DateSpan(birth.AddYears(years), birth.AddYears(years + 1).AddDays(-1));
                case "mo":
                    var months = (int)value;
                    return new DateSpan(birth.AddMonths(months), birth.AddMonths(months + 1).AddDays(-1));
                case "wk":
                    var weekDays = (int)decimal.Floor(value * 7);
                    return new DateSpan(birth.AddDays(weekDays), birth.AddDays(weekDays + 6));
                case "d":
                    return DateSpan.On(birth.AddDays((int)decimal.Floor(value)));
                default:
                    problem = $"has unit '{unit}': only the UCUM units a, mo, wk and d are read";
                    return null;
            }
        }
        catch (Exception ex) when (ex is ArgumentOutOfRangeException or OverflowException)
        {
            problem = "is beyond the calendar";
            return null;
        }
    }

    /// <summary>The local date of <paramref name="instant"/> in <paramref name="zone"/>, clamped to the calendar's ends.</summary>
    public static DateOnly LocalDate(DateTimeOffset instant, TimeZoneInfo zone)
    {
        var offset = zone.GetUtcOffset(instant);
        var ticks = instant.UtcTicks + offset.Ticks;
        return ticks < DateTime.MinValue.Ticks ? DateOnly.MinValue
            : ticks > DateTime.MaxValue.Ticks ? DateOnly.MaxValue
            : DateOnly.FromDateTime(new DateTime(ticks, DateTimeKind.Unspecified));
    }

    /// <summary>
    /// <paramref name="at"/> plus one tick, in its own offset when its local clock allows, else in UTC; <paramref name="at"/>
    /// itself when UTC is at its end too.
    /// </summary>
    private static DateTimeOffset OneTickLater(DateTimeOffset at)
    {
        if (at.UtcTicks >= DateTime.MaxValue.Ticks)
        {
            return at;
        }

        return at.Ticks < DateTime.MaxValue.Ticks
            ? at.AddTicks(1)
            : new DateTimeOffset(at.UtcTicks + 1, TimeSpan.Zero);
    }

    private static DateSpan ToSpan(DateTimeOffset start, DateTimeOffset end, TimeZoneInfo zone)
    {
        var first = LocalDate(start, zone);
        var last = end > start ? LocalDate(end.AddTicks(-1), zone) : first;
        return new DateSpan(first, last < first ? first : last);
    }
}
