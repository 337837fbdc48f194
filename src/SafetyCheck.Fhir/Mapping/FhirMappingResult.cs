namespace SafetyCheck.Fhir.Mapping;

/// <summary>What a FHIR mapping comes to: <see cref="FhirMapped"/> or <see cref="FhirRejected"/>, each with what was ignored.</summary>
/// <param name="Ignored">Everything sent that the check does not use, and why, in the order found.</param>
public abstract record FhirMappingResult(IReadOnlyList<IgnoredElement> Ignored);
