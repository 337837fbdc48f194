namespace SafetyCheck.Core.Domain;

/// <summary>The code systems a request may use for conditions.</summary>
public static class CodeSystems
{
    /// <summary>ICD-10-CM; codes with or without the dot.</summary>
    public const string Icd10Cm = "http://hl7.org/fhir/sid/icd-10-cm";

    /// <summary>SNOMED CT concept ids.</summary>
    public const string SnomedCt = "http://snomed.info/sct";

    /// <summary>The catalog's own canonical condition ids.</summary>
    public const string Catalog = "urn:safetycheck:condition";

    /// <summary>All supported systems; any other is an invalid request.</summary>
    public static IReadOnlyList<string> All { get; } = [Icd10Cm, SnomedCt, Catalog];
}
