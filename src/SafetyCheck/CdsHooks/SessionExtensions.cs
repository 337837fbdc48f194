namespace SafetyCheck.CdsHooks;

/// <summary>
/// The extensions an EHR may put on a draft Appointment or ServiceRequest to describe the planned massage session,
/// which FHIR has no element for. Values are this service's contract names.
/// </summary>
internal static class SessionExtensions
{
    /// <summary><c>valueCode</c>: HOME, OUTPATIENT, INPATIENT or NICU.</summary>
    public const string Setting = "urn:safetycheck:fhir:session-setting";

    /// <summary><c>valueCode</c>: LIGHT, MODERATE or FIRM.</summary>
    public const string Pressure = "urn:safetycheck:fhir:session-pressure";

    /// <summary><c>valueBoolean</c>: the child's care team has released the child for massage.</summary>
    public const string MedicalRelease = "urn:safetycheck:fhir:medical-release";

    /// <summary>
    /// Repeating. <c>valueCode</c>: a body area (WHOLE_BODY, HEAD, FACE, NECK, CHEST, ABDOMEN, BACK, ARMS, HANDS, LEGS,
    /// FEET); or <c>valueCodeableConcept</c>: a SNOMED CT body structure, read like <c>ServiceRequest.bodySite</c>.
    /// </summary>
    public const string Area = "urn:safetycheck:fhir:session-area";
}
