namespace SafetyCheck.Fhir;

/// <summary>The FHIR code systems the mapping reads (condition code systems are <see cref="Core.Domain.CodeSystems"/>).</summary>
public static class FhirSystems
{
    /// <summary>LOINC: the codes of the observations the check uses.</summary>
    public const string Loinc = "http://loinc.org";

    /// <summary>UCUM: the units of <c>Quantity.code</c>.</summary>
    public const string Ucum = "http://unitsofmeasure.org";

    /// <summary>The six codes of <c>Condition.clinicalStatus</c>.</summary>
    public const string ConditionClinical = "http://terminology.hl7.org/CodeSystem/condition-clinical";

    /// <summary>The codes of <c>Condition.verificationStatus</c>.</summary>
    public const string ConditionVerification = "http://terminology.hl7.org/CodeSystem/condition-ver-status";
}
