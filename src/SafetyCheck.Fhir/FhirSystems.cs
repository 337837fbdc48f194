using SafetyCheck.Core.Domain;

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

    /// <summary>The OID of ICD-10-CM, as C-CDA documents (and FHIR converted from them) name it.</summary>
    public const string Icd10CmOid = "urn:oid:2.16.840.1.113883.6.90";

    /// <summary>The OID of SNOMED CT, as C-CDA documents (and FHIR converted from them) name it.</summary>
    public const string SnomedCtOid = "urn:oid:2.16.840.1.113883.6.96";

    /// <summary>
    /// The canonical URI of a condition or body-site code system: the OIDs of ICD-10-CM and SNOMED CT name the same
    /// code systems as <see cref="CodeSystems.Icd10Cm"/> and <see cref="CodeSystems.SnomedCt"/> and are read as them;
    /// any other system is returned as sent.
    /// </summary>
    public static string Canonical(string system) => system switch
    {
        Icd10CmOid => CodeSystems.Icd10Cm,
        SnomedCtOid => CodeSystems.SnomedCt,
        _ => system,
    };
}
