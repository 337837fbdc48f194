namespace SafetyCheck.Core.Rules;

/// <summary>A named policy number from <c>ruleset.json</c>, readable by rule expressions under its name.</summary>
/// <param name="Name">camelCase identifier used in expressions.</param>
/// <param name="Value">The number.</param>
/// <param name="Unit">Unit in words (°C, days, weeks, months, minutes).</param>
/// <param name="Description">What the number means clinically.</param>
public sealed record PolicyParameter(string Name, double Value, string Unit, string Description)
{
    /// <summary>True when the JSON value was an integer; the parameter is then an int in expressions.</summary>
    public bool IsInteger { get; init; }
}
