using Hl7.Fhir.Model;
using SafetyCheck.Fhir.Tests.Support;
using SafetyCheck.Fhir.Values;

namespace SafetyCheck.Fhir.Tests.Values;

public sealed class FhirDatesTests
{
    private static readonly TimeZoneInfo London = TimeZoneInfo.FindSystemTimeZoneById("Europe/London");
    private static readonly TimeZoneInfo Auckland = TimeZoneInfo.FindSystemTimeZoneById("Pacific/Auckland");

    [Theory]
    [InlineData("2024-05-17", true, "")]
    [InlineData("2024-05", false, "year and month only")]
    [InlineData("2024", false, "a year only")]
    public void TryGetExactDate_FullOrPartial_OnlyFullIsExact(string value, bool exact, string precision)
    {
        var ok = FhirDates.TryGetExactDate(new Date(value), out var date, out var said);

        Assert.Equal(exact, ok);
        Assert.Contains(precision, said);
        if (exact)
        {
            Assert.Equal(new DateOnly(2024, 5, 17), date);
        }
    }

    [Theory]
    [InlineData("2026-03", "2026-03-01", "2026-03-31")]
    [InlineData("2025", "2025-01-01", "2025-12-31")]
    [InlineData("2026-03-02", "2026-03-02", "2026-03-02")]
    [InlineData("2026-03-02T10:15:00Z", "2026-03-02", "2026-03-02")]
    public void Span_DateTimeAtItsPrecision_LocalDates(string value, string first, string last)
    {
        var span = FhirDates.Span(new FhirDateTime(value), London);

        Assert.Equal(new DateSpan(DateOnly.Parse(first), DateOnly.Parse(last)), span);
    }

    [Fact]
    public void Span_InstantLateInTheUtcDay_IsTheNextDayInAuckland()
    {
        var span = FhirDates.Span(new FhirDateTime("2026-03-01T20:00:00Z"), Auckland);

        Assert.Equal(DateSpan.On(new DateOnly(2026, 3, 2)), span);
    }

    [Fact]
    public void Span_Period_FromStartToEnd()
    {
        var span = FhirDates.Span(new Period(new FhirDateTime("2026-01-10"), new FhirDateTime("2026-02")), London);

        Assert.Equal(new DateSpan(new DateOnly(2026, 1, 10), new DateOnly(2026, 2, 28)), span);
    }

    [Theory]
    [InlineData("2", "a", "2025-08-25", "2026-08-24")]
    [InlineData("6", "mo", "2024-02-25", "2024-03-24")]
    [InlineData("3", "wk", "2023-09-15", "2023-09-21")]
    [InlineData("10", "d", "2023-09-04", "2023-09-04")]
    public void Span_AgeAfterBirth_AtThePrecisionOfItsUnit(string value, string unit, string first, string last)
    {
        var age = new Age { Value = decimal.Parse(value, System.Globalization.CultureInfo.InvariantCulture), Code = unit, System = FhirSystems.Ucum };

        var span = FhirDates.Span(age, new DateOnly(2023, 8, 25), out var problem);

        Assert.Equal("", problem);
        Assert.Equal(new DateSpan(DateOnly.Parse(first), DateOnly.Parse(last)), span);
    }

    [Theory]
    [InlineData("1.5", "a", "whole number")]
    [InlineData("3", "h", "only the UCUM units")]
    [InlineData("-1", "d", "negative")]
    public void Span_AgeNotExact_NullWithProblem(string value, string unit, string problem)
    {
        var age = new Age { Value = decimal.Parse(value, System.Globalization.CultureInfo.InvariantCulture), Code = unit };

        Assert.Null(FhirDates.Span(age, new DateOnly(2023, 8, 25), out var said));
        Assert.Contains(problem, said);
    }

    [Fact]
    public void Range_DateOnly_CoversTheLocalDay()
    {
        var range = FhirDates.Range(new FhirDateTime("2026-07-01"), London);

        Assert.Equal(new DateTimeOffset(2026, 7, 1, 0, 0, 0, TimeSpan.FromHours(1)), range!.Value.Start);
        Assert.Equal(new DateTimeOffset(2026, 7, 2, 0, 0, 0, TimeSpan.FromHours(1)), range.Value.End);
    }

    [Fact]
    public void Range_Instant_OneTickWide()
    {
        var at = new DateTimeOffset(2026, 3, 2, 8, 0, 0, TimeSpan.FromHours(1));

        Assert.Equal((at, at.AddTicks(1)), FhirDates.Range(new Instant(at)));
    }

    [Theory]
    [InlineData("9999-12-31T23:59:59.9999999Z")]
    [InlineData("9999-12-31T23:59:59.9999999+14:00")]
    public void Range_InstantAtTheEndOfTheCalendar_EndsThereWithoutThrowing(string instant)
    {
        var at = DateTimeOffset.Parse(instant, System.Globalization.CultureInfo.InvariantCulture);

        var (start, end) = FhirDates.Range(new Instant(at))!.Value;

        Assert.Equal(at, start);
        Assert.True(end >= start);
        Assert.Equal(new DateOnly(9999, 12, 31), FhirDates.LocalDate(start, London));
    }

    [Fact]
    public void Build_SessionIsOnUtc()
    {
        Assert.Equal(TimeSpan.Zero, London.GetUtcOffset(Build.Session.ScheduledAt));
    }
}
