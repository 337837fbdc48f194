using SafetyCheck.Fhir.Input;

namespace SafetyCheck.CdsHooks;

/// <summary>The child's FHIR data for a call: from the prefetch, completed from the EHR's FHIR server; or why it could not be had.</summary>
/// <param name="Resources">The resources, read by the Firely SDK; null when <paramref name="Failure"/> is set.</param>
/// <param name="Failure">Why the data could not be had (names the server and the prefetch key, never the patient); null when it could.</param>
/// <param name="Fetched">The prefetch keys fetched from the FHIR server, in template order.</param>
internal sealed record PatientData(FhirResourceSet? Resources, string? Failure, IReadOnlyList<string> Fetched);
