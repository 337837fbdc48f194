using SafetyCheck.Core.Domain;

namespace SafetyCheck.Core.Facts;

/// <summary>A recognised input condition: its canonical catalog id and what the caller sent.</summary>
/// <param name="Id">Canonical catalog id.</param>
/// <param name="Status">Active or resolved.</param>
/// <param name="OnsetDate">Calendar onset date, when given.</param>
/// <param name="BodySite">Where a local problem is, when given.</param>
/// <param name="System">Code system as sent.</param>
/// <param name="Code">Code as sent.</param>
public sealed record FactCondition(
    string Id,
    ConditionStatus Status,
    DateOnly? OnsetDate,
    BodyArea? BodySite,
    string System,
    string Code)
{
    /// <summary><c>system|code</c>, as precautions list it in <c>triggered_by</c>.</summary>
    public string Reference => System + "|" + Code;
}
