namespace SafetyCheck.Core.Domain;

/// <summary>Where the session takes place.</summary>
public enum Setting
{
    Unspecified = 0,
    Home = 1,
    Outpatient = 2,
    Inpatient = 3,
    Nicu = 4,
}
