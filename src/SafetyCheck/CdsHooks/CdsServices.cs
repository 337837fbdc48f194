using SafetyCheck.Fhir;
using SafetyCheck.Fhir.Mapping;

namespace SafetyCheck.CdsHooks;

/// <summary>
/// The services offered and the data each asks the EHR to prefetch: the Patient, all of its Conditions (resolved ones
/// matter too: a fracture resolved last week still limits massage), and its Observations of gestational age at birth
/// (LOINC 76516-4, 11884-4, 18185-9, one query each, since an "or" of codes is outside the prefetch subset every EHR
/// supports), birth weight (8339-4) and body temperature. The codes are the mapping's (<see cref="ObservationCodes"/>).
/// </summary>
/// <remarks>
/// Body temperature is one query for every code the mapping reads as a temperature, 8310-5 and the codes that name
/// the site (8328-7 axillary, common in neonates, and the others), and the vital-signs panel whose components hold
/// one (<see cref="ObservationCodes.BodyTemperatureSearch"/>), as one <c>code</c> parameter with the codes separated
/// by commas (FHIR search: any of them). A search matches codes exactly: asking for 8310-5 alone finds nothing for an
/// EHR that records only axillary temperatures, and a fever would be read as no temperature. One key per code would
/// be nine prefetch keys and nine fetches for one fact; an EHR that cannot answer the comma in a prefetch leaves the
/// key out or sends an OperationOutcome, and the service fetches it from <c>fhirServer</c>, where the comma is
/// ordinary FHIR search.
/// </remarks>
internal static class CdsServices
{
    public const string AppointmentBook = "appointment-book";

    public const string OrderSelect = "order-select";

    /// <summary>The prefetch key of the Patient.</summary>
    public const string PatientKey = "patient";

    private const string Usage = "Send the prefetch, or fhirServer with fhirAuthorization (patient/*.read or user/*.read for Patient, Condition and Observation) so the service can fetch what is missing. The session's setting, pressure, medical release and body areas are read from the appointment or order (see the service's README).";

    /// <summary>The service for a massage session being booked.</summary>
    public static readonly CdsService Appointment = new(
        "massage-safety-appointment",
        AppointmentBook,
        "Paediatric massage safety: session being booked",
        "Checks whether a massage session being booked is suitable for this child (age, gestation, conditions, the planned session) and what the therapist must do differently, from the service's clinician-maintained rules.",
        Usage);

    /// <summary>The service for a massage therapy order being selected.</summary>
    public static readonly CdsService Order = new(
        "massage-safety-order",
        OrderSelect,
        "Paediatric massage safety: massage therapy order",
        "Checks whether a selected massage therapy order (ServiceRequest) is suitable for this child and what the therapist must do differently, from the service's clinician-maintained rules.",
        Usage);

    /// <summary>Every service, in discovery order.</summary>
    public static readonly IReadOnlyList<CdsService> All = [Appointment, Order];

    /// <summary>The prefetch templates of every service, key → FHIR query, in discovery order.</summary>
    public static readonly IReadOnlyList<KeyValuePair<string, string>> Prefetch =
    [
        new(PatientKey, "Patient/{{context.patientId}}"),
        new("conditions", "Condition?patient={{context.patientId}}"),
        new("gestationalAgeAtBirth", Observation([ObservationCodes.GestationalAge[0]])),
        new("gestationalAgeEstimated", Observation([ObservationCodes.GestationalAge[1]])),
        new("gestationalAge", Observation([ObservationCodes.GestationalAge[2]])),
        new("birthWeight", Observation([ObservationCodes.BirthWeight])),
        new("bodyTemperature", Observation(ObservationCodes.BodyTemperatureSearch)),
    ];

    /// <summary>
    /// Keys fetched from the FHIR server with a date limit, and how many days before the earliest session date the
    /// limit lies: the body temperature is used only on the session date (policy: the session day's reading), so weeks
    /// of hourly readings are not fetched. The day before covers a server that reads a date in another time zone.
    /// A prefetch template cannot carry the limit (it has no session date), so this applies to fetching only.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, int> FetchDaysBefore = new Dictionary<string, int>(StringComparer.Ordinal)
    {
        ["bodyTemperature"] = 1,
    };

    /// <summary>The query to fetch <paramref name="key"/> with: its template expanded, with a date limit for the keys of <see cref="FetchDaysBefore"/>.</summary>
    public static string FetchQuery(string key, string template, string patientId, DateOnly since)
    {
        var query = Expand(template, patientId);
        return FetchDaysBefore.TryGetValue(key, out var days)
            ? query + "&date=ge" + since.AddDays(-days).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)
            : query;
    }

    /// <summary>The service with id <paramref name="id"/>; null when there is none.</summary>
    public static CdsService? Find(string id) => All.FirstOrDefault(s => string.Equals(s.Id, id, StringComparison.Ordinal));

    /// <summary>A prefetch template with its <c>{{context.patientId}}</c> token replaced (escaped for a query or a path).</summary>
    public static string Expand(string template, string patientId)
    {
        ArgumentNullException.ThrowIfNull(template);
        return template.Replace("{{context.patientId}}", Uri.EscapeDataString(patientId), StringComparison.Ordinal);
    }

    /// <summary>A search for the patient's Observations with any of the LOINC <paramref name="codes"/> (one <c>code</c> parameter, comma-separated).</summary>
    private static string Observation(IReadOnlyList<string> codes) =>
        "Observation?patient={{context.patientId}}&code=" + string.Join(',', codes.Select(c => $"{FhirSystems.Loinc}|{c}"));
}
