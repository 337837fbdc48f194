namespace SafetyCheck.Fhir.Terminology;

/// <summary>One coding of <c>Condition.code</c>, as the selector sees it.</summary>
/// <param name="Index">Its position in <c>Condition.code.coding</c>.</param>
/// <param name="System">Its system, as sent or, for the OID of ICD-10-CM or SNOMED CT, that system's canonical URI (empty when absent).</param>
/// <param name="Code">Its code, exactly as sent (empty when absent).</param>
/// <param name="Display">Its display, or empty.</param>
public sealed record CodingCandidate(int Index, string System, string Code, string Display);
