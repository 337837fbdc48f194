namespace SafetyCheck.Fhir.Values;

/// <summary>
/// The calendar dates (in the session's time zone) a FHIR date, dateTime, Period or Age can denote, both ends
/// inclusive: <c>2026-03</c> is 2026-03-01 to 2026-03-31; a dateTime to the second is one date.
/// </summary>
/// <param name="First">The earliest date it can be.</param>
/// <param name="Last">The latest date it can be; never before <paramref name="First"/>.</param>
public readonly record struct DateSpan(DateOnly First, DateOnly Last)
{
    /// <summary>True when the span is a single date.</summary>
    public bool IsExact => First == Last;

    /// <summary>A single date.</summary>
    public static DateSpan On(DateOnly date) => new(date, date);
}
