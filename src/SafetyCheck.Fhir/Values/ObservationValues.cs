using System.Globalization;
using System.Text.RegularExpressions;
using Hl7.Fhir.Model;
using SafetyCheck.Core.Profiles;

namespace SafetyCheck.Fhir.Values;

/// <summary>
/// Reads the three observation values the check uses and converts them to the request's units: gestational age at
/// birth (completed weeks and days), birth weight (grams) and body temperature (°C).
/// </summary>
/// <remarks>
/// A unit is read from <c>Quantity.code</c> (UCUM), or from <c>Quantity.unit</c> when the code is absent. A value with
/// a comparator (<c>&lt;</c>, <c>&gt;=</c>…) is not an exact measurement and is not read. Nothing is guessed: an
/// unknown unit, an unreadable string, or an amount out of range (a negative gestational age, an amount no unit
/// conversion could hold) is a problem the caller is told about, never an exception.
/// </remarks>
internal static partial class ObservationValues
{
    /// <summary>
    /// The largest amount, in any unit, that is read: far beyond any gestational age, birth weight or temperature, and
    /// small enough that no unit conversion here can overflow <see cref="decimal"/>.
    /// </summary>
    private const decimal MaxAmount = 1_000_000_000m;

    private const decimal GramsPerPound = 453.59237m;
    private const decimal GramsPerOunce = 28.349523125m;

    /// <summary>
    /// Gestational age from a Quantity in weeks (<c>wk</c>) or days (<c>d</c>), or a string <c>39+6</c> (also
    /// <c>39w 6d</c>, <c>40W 0D</c>, <c>39 weeks 6 days</c>). Fractions are cut to completed days: 37.5 wk is 37+3.
    /// </summary>
    public static MeasuredValue<GestationalAge> GestationalAge(DataType? value) => value switch
    {
        Quantity quantity => GestationalAgeFrom(quantity),
        FhirString { Value: { } text } => GestationalAgeFrom(text),
        null => MeasuredValue<GestationalAge>.Unreadable("has no value"),
        _ => MeasuredValue<GestationalAge>.Unreadable($"is a {value.TypeName}: only valueQuantity (wk, d) or valueString (\"39+6\") is read"),
    };

    /// <summary>Birth weight in whole grams (rounded half away from zero) from g, kg, [lb_av]/lb or [oz_av]/oz.</summary>
    public static MeasuredValue<int> BirthWeightGrams(DataType? value)
    {
        if (Exact(value, out var quantity, out var amount) is { } problem)
        {
            return MeasuredValue<int>.Unreadable(problem);
        }

        decimal? grams = UnitOf(quantity) switch
        {
            "g" => amount,
            "kg" => amount * 1000m,
            "[lb_av]" or "lb" or "lbs" => amount * GramsPerPound,
            "[oz_av]" or "oz" => amount * GramsPerOunce,
            _ => null,
        };
        if (grams is not { } g)
        {
            return MeasuredValue<int>.Unreadable($"has unit '{UnitOf(quantity)}': only g, kg, [lb_av] and [oz_av] are read");
        }

        var rounded = decimal.Round(g, 0, MidpointRounding.AwayFromZero);
        return rounded is < 0 or > int.MaxValue
            ? MeasuredValue<int>.Unreadable("is out of range")
            : MeasuredValue<int>.Read((int)rounded);
    }

    /// <summary>Body temperature in °C (to 0.01) from <c>Cel</c> or <c>[degF]</c>.</summary>
    public static MeasuredValue<double> TemperatureCelsius(DataType? value)
    {
        if (Exact(value, out var quantity, out var amount) is { } problem)
        {
            return MeasuredValue<double>.Unreadable(problem);
        }

        decimal? celsius = UnitOf(quantity) switch
        {
            "Cel" or "°C" => amount,
            "[degF]" or "°F" => (amount - 32m) * 5m / 9m,
            _ => null,
        };
        return celsius is { } c
            ? MeasuredValue<double>.Read((double)decimal.Round(c, 2, MidpointRounding.AwayFromZero))
            : MeasuredValue<double>.Unreadable($"has unit '{UnitOf(quantity)}': only Cel and [degF] are read");
    }

    private static MeasuredValue<GestationalAge> GestationalAgeFrom(Quantity quantity)
    {
        if (Exact(quantity, out _, out var amount) is { } problem)
        {
            return MeasuredValue<GestationalAge>.Unreadable(problem);
        }

        decimal? days = UnitOf(quantity) switch
        {
            "wk" or "week" or "weeks" => decimal.Floor(amount * 7m),
            "d" or "day" or "days" => decimal.Floor(amount),
            _ => null,
        };
        if (days is not { } total)
        {
            return MeasuredValue<GestationalAge>.Unreadable($"has unit '{UnitOf(quantity)}': only wk and d are read");
        }

        return total is < 0 or > 100 * 7
            ? MeasuredValue<GestationalAge>.Unreadable("is out of range")
            : MeasuredValue<GestationalAge>.Read(new GestationalAge((int)total / 7, (int)total % 7));
    }

    private static MeasuredValue<GestationalAge> GestationalAgeFrom(string text)
    {
        var match = WeeksAndDays().Match(text);
        if (!match.Success)
        {
            return MeasuredValue<GestationalAge>.Unreadable($"'{Shorten(text)}' is not a gestational age such as \"39+6\" or \"39w 6d\"");
        }

        var weeks = int.Parse(match.Groups["weeks"].ValueSpan, CultureInfo.InvariantCulture);
        var days = match.Groups["days"].Success ? int.Parse(match.Groups["days"].ValueSpan, CultureInfo.InvariantCulture) : 0;
        return days > 6
            ? MeasuredValue<GestationalAge>.Unreadable($"'{Shorten(text)}' has {days} days: days are 0 to 6")
            : MeasuredValue<GestationalAge>.Read(new GestationalAge(weeks, days));
    }

    /// <summary>A Quantity with a value (at most <see cref="MaxAmount"/> either side of zero) and no comparator; otherwise the problem.</summary>
    private static string? Exact(DataType? value, out Quantity quantity, out decimal amount)
    {
        quantity = value as Quantity ?? new Quantity();
        amount = 0;
        if (value is not Quantity q)
        {
            return value is null ? "has no value" : $"is a {value.TypeName}: only valueQuantity is read";
        }

        if (q.Comparator is { } comparator)
        {
            return $"has comparator '{comparator}', so it is not an exact measurement";
        }

        if (q.Value is not { } v)
        {
            return "has no value";
        }

        if (Math.Abs(v) > MaxAmount)
        {
            return "is out of range";
        }

        amount = v;
        return null;
    }

    private static string UnitOf(Quantity quantity) => quantity.Code ?? quantity.Unit ?? "";

    private static string Shorten(string text) => text.Length <= 32 ? text : text[..32] + "…";

    // "39+6", "39 + 6", "39w 6d", "40W 0D", "39 weeks 6 days", "39 wk", "39w". Digits are ASCII only: \d would also
    // match the digits of other scripts (Arabic-Indic, Devanagari, full-width), which int.Parse does not read.
    [GeneratedRegex(@"^\s*(?<weeks>[0-9]{1,2})\s*(?:\+\s*(?<days>[0-9]{1,2})|(?:w|wk|wks|week|weeks)\s*(?:(?<days>[0-9]{1,2})\s*(?:d|day|days))?)\s*$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 100)]
    private static partial Regex WeeksAndDays();
}
