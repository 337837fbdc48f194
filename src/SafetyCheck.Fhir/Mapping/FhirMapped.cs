using SafetyCheck.Core.Requests;
using SafetyCheck.Core.Validation;

namespace SafetyCheck.Fhir.Mapping;

/// <summary>The request for the decision pipeline, built from the FHIR resources.</summary>
/// <param name="Request">The request, not yet validated: the pipeline validates it like any other.</param>
/// <param name="Ignored">Everything not used, and why.</param>
/// <param name="Origins">Which FHIR element each request field came from.</param>
public sealed record FhirMapped(UnvalidatedRequest Request, IReadOnlyList<IgnoredElement> Ignored, FieldOrigins Origins)
    : FhirMappingResult(Ignored)
{
    /// <summary>A violation the pipeline reported on <see cref="Request"/>, named by the FHIR element it came from.</summary>
    public FieldViolation ToFhir(FieldViolation violation) => Origins.ToFhir(violation);
}
