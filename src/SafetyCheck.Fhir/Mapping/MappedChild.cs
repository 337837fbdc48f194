using SafetyCheck.Core.Profiles;

namespace SafetyCheck.Fhir.Mapping;

/// <summary>What the FHIR resources say about the child, in the request's terms, with the element each came from.</summary>
internal sealed record MappedChild
{
    public required string PatientRef { get; init; }

    public required DateOnly BirthDate { get; init; }

    public GestationalAge? GestationalAge { get; init; }

    /// <summary>The element the gestational age came from (<c>Observation/ga.valueQuantity</c>).</summary>
    public string GestationalAgeElement { get; init; } = "";

    public int? BirthWeightGrams { get; init; }

    public string BirthWeightElement { get; init; } = "";

    public double? TemperatureCelsius { get; init; }

    public string TemperatureElement { get; init; } = "";

    public IReadOnlyList<MappedCondition> Conditions { get; init; } = [];
}
