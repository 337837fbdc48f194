namespace SafetyCheck.Fhir.Mapping;

/// <summary>What an Observation is to the check, by its LOINC code.</summary>
internal enum ObservationKind
{
    /// <summary>Not a code the check uses.</summary>
    None,

    /// <summary>Gestational age at birth: 76516-4, then 11884-4, then 18185-9.</summary>
    GestationalAge,

    /// <summary>Birth weight: 8339-4.</summary>
    BirthWeight,

    /// <summary>Body temperature: 8310-5.</summary>
    Temperature,
}
