namespace SafetyCheck.Core.Domain;

/// <summary>
/// The gestational ages at birth the service accepts, in completed weeks: 22 to 44. One definition for every reader:
/// a request's <c>gestational_age_at_birth</c> and a catalog row's <c>gestationalWeeks</c> are held to the same bounds.
/// </summary>
public static class GestationalAgeBounds
{
    /// <summary>Lowest accepted gestational age at birth, completed weeks.</summary>
    public const int MinWeeks = 22;

    /// <summary>Highest accepted gestational age at birth, completed weeks.</summary>
    public const int MaxWeeks = 44;
}
