using SafetyCheck.Core.Domain;

namespace SafetyCheck.Core.Profiles;

/// <summary>A validated coded condition, exactly as sent (system and code are echoed unchanged).</summary>
/// <param name="System">One of <see cref="CodeSystems.All"/>.</param>
/// <param name="Code">The code as sent, trimmed of nothing.</param>
/// <param name="Display">Free text, may be empty.</param>
/// <param name="Status">Active or resolved (unspecified already read as active).</param>
/// <param name="OnsetDate">Calendar onset date, not after the as_of date; null when not given.</param>
/// <param name="BodySite">Where a local problem is; null when not given.</param>
public sealed record ProfileCondition(
    string System,
    string Code,
    string Display,
    ConditionStatus Status,
    DateOnly? OnsetDate,
    BodyArea? BodySite);
