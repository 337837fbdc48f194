namespace SafetyCheck.Fhir.Mapping;

/// <summary>Whose a Condition or Observation is, by its <c>subject</c>.</summary>
internal enum SubjectMatch
{
    /// <summary>It names the Patient of this check.</summary>
    ThisPatient,

    /// <summary>It names another resource.</summary>
    Other,

    /// <summary>No subject, or one that cannot be compared (an identifier only).</summary>
    Unknown,
}
