using SafetyCheck.Core.Validation;

namespace SafetyCheck.Fhir.Mapping;

/// <summary>The FHIR resources cannot give a request: every problem, named by FHIR element (INVALID_ARGUMENT, exit 2).</summary>
/// <param name="Violations">Every problem found, at least one.</param>
/// <param name="Ignored">Everything not used, and why.</param>
public sealed record FhirRejected(IReadOnlyList<FieldViolation> Violations, IReadOnlyList<IgnoredElement> Ignored)
    : FhirMappingResult(Ignored);
