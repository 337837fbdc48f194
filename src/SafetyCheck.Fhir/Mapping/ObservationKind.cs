namespace SafetyCheck.Fhir.Mapping;

/// <summary>What an Observation (or one of its components) is to the check, by its LOINC code.</summary>
internal enum ObservationKind
{
    /// <summary>Not a code the check uses.</summary>
    None,

    /// <summary>Gestational age: 76516-4 (at birth), then 11884-4, then 18185-9 (see <see cref="ObservationCodes.GestationalAge"/>).</summary>
    GestationalAge,

    /// <summary>Birth weight: 8339-4.</summary>
    BirthWeight,

    /// <summary>Body temperature: 8310-5 or a code that names its site (see <see cref="ObservationCodes.BodyTemperature"/>).</summary>
    Temperature,
}
