namespace SafetyCheck.Core.Rules;

/// <summary>Evidence behind a rule: a grade A (strongest) to D, and at least one citation.</summary>
public sealed record Evidence(string Grade, IReadOnlyList<Citation> Citations)
{
    public static Evidence None { get; } = new("", []);
}
