namespace SafetyCheck.Core.Rules;

/// <summary>Reads the <see cref="MeasureUnit"/> of a fact from its name and of a policy parameter from its <c>unit</c>.</summary>
internal static class MeasureUnits
{
    /// <summary>
    /// The unit a fact of <c>child</c> is counted in, from its name: the facts end with their unit (<c>…Days</c>,
    /// <c>…Weeks</c>, <c>…Months</c>, <c>…Years</c>, <c>…Grams</c>, <c>…Celsius</c>) except
    /// <c>MinutesSinceLastFeed</c>, which starts with it. <see cref="MeasureUnit.None"/> for any other name.
    /// </summary>
    public static MeasureUnit OfFact(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return name.EndsWith("Days", StringComparison.Ordinal) ? MeasureUnit.Days
            : name.EndsWith("Weeks", StringComparison.Ordinal) ? MeasureUnit.Weeks
            : name.EndsWith("Months", StringComparison.Ordinal) ? MeasureUnit.Months
            : name.EndsWith("Years", StringComparison.Ordinal) ? MeasureUnit.Years
            : name.EndsWith("Grams", StringComparison.Ordinal) ? MeasureUnit.Grams
            : name.EndsWith("Celsius", StringComparison.Ordinal) ? MeasureUnit.Celsius
            : name.StartsWith("Minutes", StringComparison.Ordinal) ? MeasureUnit.Minutes
            : MeasureUnit.None;
    }

    /// <summary>
    /// The unit a policy parameter's <c>unit</c> names (any case; plural or singular, and the usual abbreviations:
    /// d, wk, mo, y, g, °C, min); <see cref="MeasureUnit.None"/> for anything else.
    /// </summary>
    public static MeasureUnit OfParameter(string unit)
    {
        ArgumentNullException.ThrowIfNull(unit);
        return unit.Trim().ToLowerInvariant() switch
        {
            "day" or "days" or "d" => MeasureUnit.Days,
            "week" or "weeks" or "wk" or "wks" or "w" => MeasureUnit.Weeks,
            "month" or "months" or "mo" => MeasureUnit.Months,
            "year" or "years" or "y" or "yr" or "yrs" or "a" => MeasureUnit.Years,
            "g" or "gram" or "grams" => MeasureUnit.Grams,
            "°c" or "cel" or "celsius" or "degc" => MeasureUnit.Celsius,
            "min" or "mins" or "minute" or "minutes" => MeasureUnit.Minutes,
            _ => MeasureUnit.None,
        };
    }

    /// <summary>The unit in words, plural, for messages.</summary>
    public static string Describe(MeasureUnit unit) => unit switch
    {
        MeasureUnit.Celsius => "°C",
        MeasureUnit.Grams => "grams",
        _ => unit.ToString().ToLowerInvariant(),
    };
}
