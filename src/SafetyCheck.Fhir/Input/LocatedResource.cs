using Hl7.Fhir.Model;

namespace SafetyCheck.Fhir.Input;

/// <summary>One resource and where it was found.</summary>
/// <param name="Resource">The parsed resource.</param>
/// <param name="Location">Where it was: <c>Bundle.entry[3].resource</c>, <c>prefetch.conditions.entry[0].resource</c>.</param>
/// <param name="FullUrl">The Bundle entry's <c>fullUrl</c>, which other resources may reference it by; null when none.</param>
public sealed record LocatedResource(Resource Resource, string Location, string? FullUrl)
{
    /// <summary>
    /// How messages name the resource: <c>Condition/c1</c> when it has an id, else its location, so an integrator can
    /// find it either on the EHR's server or in what was sent.
    /// </summary>
    public string Label => string.IsNullOrEmpty(Resource.Id) ? Location : $"{Resource.TypeName}/{Resource.Id}";
}
