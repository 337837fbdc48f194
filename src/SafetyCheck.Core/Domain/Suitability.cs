namespace SafetyCheck.Core.Domain;

/// <summary>
/// The verdict for a session, ordered from least to most restrictive so that the combined verdict is the maximum.
/// Values match <c>safetycheck.v1.Suitability</c>.
/// </summary>
public enum Suitability
{
    /// <summary>Never produced by evaluation.</summary>
    Unspecified = 0,
    Suitable = 1,
    SuitableWithPrecautions = 2,
    ClinicianReviewRequired = 3,
    NotSuitable = 4,
}
