using SafetyCheck.Core.Domain;
using SafetyCheck.Fhir.Terminology;

namespace SafetyCheck.Fhir.Mapping;

/// <summary>One condition of the request, and the FHIR elements it came from (to name them in violations).</summary>
internal sealed record MappedCondition
{
    public required string Label { get; init; }

    public required CodingCandidate Coding { get; init; }

    public required string Display { get; init; }

    public required ConditionStatus Status { get; init; }

    public DateOnly? Onset { get; init; }

    public BodyArea? BodySite { get; init; }

    /// <summary>The onset element it came from (<c>onsetDateTime</c>, <c>onsetAge</c>…); empty when undated.</summary>
    public string OnsetElement { get; init; } = "";
}
