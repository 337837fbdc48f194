namespace SafetyCheck.Core.Domain;

/// <summary>Massage pressure, ordered from lightest. In a precaution, <see cref="Unspecified"/> means no limit.</summary>
public enum Pressure
{
    Unspecified = 0,
    Light = 1,
    Moderate = 2,
    Firm = 3,
}
