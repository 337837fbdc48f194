namespace SafetyCheck.Fhir.Mapping;

/// <summary>
/// The LOINC codes (<see cref="FhirSystems.Loinc"/>) of the observations the check reads, in one table: an
/// Observation's <c>code</c> or a <c>component.code</c> with one of them is read as that fact.
/// </summary>
internal static class ObservationCodes
{
    /// <summary>Gestational age at birth: read whatever its effective date.</summary>
    public const string GestationalAgeAtBirth = "76516-4";

    /// <summary>
    /// Gestational age codes, preferred in this order. 76516-4 says "at birth"; 11884-4 (estimated) and 18185-9
    /// (gestational age) give the gestational age on the day they were taken — NICU flowsheets record the current
    /// gestational age with them — so they are read as the gestational age at birth only when taken on the birth date
    /// (see <see cref="AtBirthToleranceDays"/>).
    /// </summary>
    public static readonly IReadOnlyList<string> GestationalAge = [GestationalAgeAtBirth, "11884-4", "18185-9"];

    /// <summary>How many days either side of the birth date an 11884-4 or 18185-9 may be taken and still be the gestational age at birth.</summary>
    public const int AtBirthToleranceDays = 1;

    /// <summary>Birth weight.</summary>
    public const string BirthWeight = "8339-4";

    /// <summary>
    /// Body temperature, and the codes that say where it was taken. The request's <c>temperature_celsius</c> has no
    /// site, so each is body temperature (the policy's hypothermia guard itself quotes an axillary figure). A skin or
    /// surface temperature (39106-0 and the like) is not body temperature and is not here.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, string> BodyTemperature = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["8310-5"] = "body temperature",
        ["8328-7"] = "axillary temperature",
        ["8329-5"] = "core body temperature",
        ["8331-1"] = "oral temperature",
        ["8332-9"] = "rectal temperature",
        ["8333-7"] = "tympanic membrane temperature",
        ["60834-6"] = "temporal artery temperature",
        ["76011-6"] = "ear temperature",
    };

    /// <summary>
    /// The vital-signs panel (the FHIR vital-signs profile's code). Its components are read like Observations of their
    /// codes (a temperature component as body temperature), as every Observation's are; it is listed here because a
    /// FHIR <c>code</c> search matches an Observation's own code only, so a search for the temperature codes alone never
    /// finds a panel that holds the temperature.
    /// </summary>
    public const string VitalSignsPanel = "85353-1";

    /// <summary>
    /// The Observation codes a search must ask for to find every body temperature the check reads: each of
    /// <see cref="BodyTemperature"/>, in its order, then <see cref="VitalSignsPanel"/>. The CDS Hooks prefetch template
    /// and the service's own fetch are built from it, so a code the mapping reads is never left out of the query.
    /// </summary>
    public static IReadOnlyList<string> BodyTemperatureSearch { get; } = [.. BodyTemperature.Keys, VitalSignsPanel];

    /// <summary>The codes in one phrase, for the message on an Observation the check does not use.</summary>
    public static string Described =>
        $"LOINC {GestationalAge[0]} (gestational age at birth), {GestationalAge[1]} or {GestationalAge[2]} (gestational age, taken on the birth date); {BirthWeight} birth weight; {string.Join(", ", BodyTemperature.Keys)} body temperature";
}
