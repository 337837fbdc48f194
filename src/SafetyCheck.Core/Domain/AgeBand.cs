namespace SafetyCheck.Core.Domain;

/// <summary>
/// Age band by chronological age: neonate 0–27 days, infant 28 days to under 12 months, toddler 12 to under
/// 36 months, child 3 to under 12 years, adolescent 12 to under 18 years.
/// </summary>
public enum AgeBand
{
    Unspecified = 0,
    Neonate = 1,
    Infant = 2,
    Toddler = 3,
    Child = 4,
    Adolescent = 5,
}
