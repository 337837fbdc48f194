namespace SafetyCheck.Core.Domain;

/// <summary>
/// Birth weight: extremely low under 1000 g, very low under 1500 g, low under 2500 g, normal otherwise.
/// <see cref="Unspecified"/> when birth weight is unknown.
/// </summary>
public enum BirthWeightCategory
{
    Unspecified = 0,
    ExtremelyLowBirthWeight = 1,
    VeryLowBirthWeight = 2,
    LowBirthWeight = 3,
    NormalBirthWeight = 4,
}
