namespace SafetyCheck.Core.Domain;

/// <summary>
/// Gestation at birth: extremely preterm under 28 weeks, very preterm 28 to under 32, moderate/late preterm 32 to
/// under the rule set's term (<c>termGestationWeeks</c>, 37 as shipped), term from there to under 42, post-term 42 or
/// more. <see cref="Unspecified"/> when gestational age is unknown.
/// </summary>
public enum GestationCategory
{
    Unspecified = 0,
    ExtremelyPreterm = 1,
    VeryPreterm = 2,
    ModerateLatePreterm = 3,
    Term = 4,
    PostTerm = 5,
}
