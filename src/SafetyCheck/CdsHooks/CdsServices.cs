using SafetyCheck.Fhir;

namespace SafetyCheck.CdsHooks;

/// <summary>
/// The services offered and the data each asks the EHR to prefetch: the Patient, all of its Conditions (resolved ones
/// matter too: a fracture resolved last week still limits massage), and its Observations of gestational age at birth
/// (LOINC 76516-4, 11884-4, 18185-9, one query each, since an "or" of codes is outside the prefetch subset every EHR
/// supports), birth weight (8339-4) and body temperature (8310-5).
/// </summary>
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
        new("gestationalAgeAtBirth", Observation("76516-4")),
        new("gestationalAgeEstimated", Observation("11884-4")),
        new("gestationalAge", Observation("18185-9")),
        new("birthWeight", Observation("8339-4")),
        new("bodyTemperature", Observation("8310-5")),
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

    private static string Observation(string loinc) => $"Observation?patient={{{{context.patientId}}}}&code={FhirSystems.Loinc}|{loinc}";
}
