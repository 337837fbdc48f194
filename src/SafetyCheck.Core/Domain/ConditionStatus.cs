namespace SafetyCheck.Core.Domain;

/// <summary>Clinical status of a coded condition. Unspecified is read as <see cref="Active"/>.</summary>
public enum ConditionStatus
{
    Unspecified = 0,
    Active = 1,
    Resolved = 2,
}
