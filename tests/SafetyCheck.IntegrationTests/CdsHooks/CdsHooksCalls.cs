using System.Text.Json.Nodes;
using static SafetyCheck.IntegrationTests.CdsHooks.SyntheticFhir;

namespace SafetyCheck.IntegrationTests.CdsHooks;

/// <summary>
/// Synthetic children as an EHR sends them through a hook, each with the request a person would map from the same
/// record by hand (protobuf JSON, as <c>eval</c> and gRPC take it). Sessions are on 2026-03-02 at 10:00 UTC, in
/// Europe/London, as in the seeds.
/// </summary>
internal static class CdsHooksCalls
{
    public const string Start = "2026-03-02T10:00:00Z";

    public const string ToddlerId = "synthetic-cds-0003";

    /// <summary>A hook call, the service it goes to, and the hand-mapped request.</summary>
    public sealed record Case(string Name, string Service, Func<JsonObject> Call, string HandMapped)
    {
        public override string ToString() => Name;
    }

    public static JsonObject Toddler() => AppointmentBook(
        ToddlerId,
        Prefetch(Patient(ToddlerId, "2023-08-25"), [Condition("eczema", ToddlerId, Snomed, "24079001")]),
        Appointment("apt1", ToddlerId, Start, "HOME", "LIGHT", "BACK", "ARMS", "LEGS"));

    /// <summary>Points <paramref name="call"/> at <paramref name="server"/>, with the access token it requires.</summary>
    public static void WithServer(JsonObject call, FixtureFhirServer server) => WithServer(call, server.BaseUrl);

    /// <summary>Points <paramref name="call"/> at the FHIR server <paramref name="fhirServer"/>, with the fixture server's access token.</summary>
    public static void WithServer(JsonObject call, string fhirServer)
    {
        call["fhirServer"] = fhirServer;
        call["fhirAuthorization"] = new JsonObject
        {
            ["access_token"] = FixtureFhirServer.AccessToken,
            ["token_type"] = "Bearer",
            ["expires_in"] = 300,
            ["scope"] = "patient/Patient.read patient/Condition.read patient/Observation.read",
            ["subject"] = "safetycheck",
        };
    }

    /// <summary>Children of every age band, and every clinical-status, verification and coding variant the mapping reads.</summary>
    public static readonly IReadOnlyList<Case> All =
    [
        new("neonate, GA in weeks and birth weight in kg", "massage-safety-appointment",
            () => AppointmentBook("n1", Prefetch(
                    Patient("n1", "2026-02-20"),
                    gestationalAge: Observation("ga", "n1", "76516-4", 39, "wk"),
                    birthWeight: Observation("bw", "n1", "8339-4", 3.4, "kg")),
                Appointment("apt", "n1", Start, "HOME", "LIGHT", "BACK", "LEGS")),
            """{"patient":{"patientRef":"n1","birthDate":"2026-02-20","gestationalAgeAtBirth":{"weeks":39},"birthWeightGrams":3400},"session":{"scheduledAt":"2026-03-02T10:00:00Z","timeZone":"Europe/London","setting":"HOME","pressure":"LIGHT","areas":["BACK","LEGS"]}}"""),
        new("preterm infant, GA in days, abdomen ordered", "massage-safety-order",
            () => OrderSelect("i1", Prefetch(
                    Patient("i1", "2026-01-26"),
                    gestationalAge: Observation("ga", "i1", "76516-4", 228, "d"),
                    birthWeight: Observation("bw", "i1", "8339-4", 1720, "g")),
                ["ServiceRequest/massage"],
                MassageOrder("massage", "i1", Start, "HOME", "LIGHT", "818983003", "61685007")),
            """{"patient":{"patientRef":"i1","birthDate":"2026-01-26","gestationalAgeAtBirth":{"weeks":32,"days":4},"birthWeightGrams":1720},"session":{"scheduledAt":"2026-03-02T10:00:00Z","timeZone":"Europe/London","setting":"HOME","pressure":"LIGHT","areas":["ABDOMEN","LEGS"]}}"""),
        new("toddler with eczema", "massage-safety-appointment", Toddler,
            """{"patient":{"patientRef":"synthetic-cds-0003","birthDate":"2023-08-25"},"conditions":[{"system":"http://snomed.info/sct","code":"24079001"}],"session":{"scheduledAt":"2026-03-02T10:00:00Z","timeZone":"Europe/London","setting":"HOME","pressure":"LIGHT","areas":["BACK","ARMS","LEGS"]}}"""),
        new("child with fever and otitis media, SNOMED and ICD-10-CM codings", "massage-safety-appointment",
            () => AppointmentBook("c1", Prefetch(
                    Patient("c1", "2022-11-22"),
                    [Condition("ear", "c1", Snomed, "65363002", secondSystem: Icd10, secondCode: "H66.90")],
                    temperature: Observation("t", "c1", "8310-5", 38.4, "Cel", "2026-03-02T09:00:00Z")),
                Appointment("apt", "c1", Start, "HOME", "LIGHT", "BACK")),
            """{"patient":{"patientRef":"c1","birthDate":"2022-11-22"},"conditions":[{"system":"http://snomed.info/sct","code":"65363002"}],"session":{"scheduledAt":"2026-03-02T10:00:00Z","timeZone":"Europe/London","setting":"HOME","pressure":"LIGHT","areas":["BACK"]},"observations":{"temperatureCelsius":38.4}}"""),
        new("child whose conditions are resolved, in remission, refuted or entered in error", "massage-safety-appointment",
            () => AppointmentBook("c2", Prefetch(
                    Patient("c2", "2020-12-02"),
                    [
                        Condition("old-ear", "c2", Snomed, "65363002", clinicalStatus: "resolved"),
                        Condition("eczema", "c2", Snomed, "24079001", clinicalStatus: "remission"),
                        Condition("not-bleeding", "c2", Icd10, "D66", verification: "refuted"),
                        Condition("typo", "c2", Icd10, "D66", verification: "entered-in-error"),
                    ]),
                Appointment("apt", "c2", Start, "HOME", "LIGHT", "BACK", "ARMS", "LEGS")),
            """{"patient":{"patientRef":"c2","birthDate":"2020-12-02"},"conditions":[{"system":"http://snomed.info/sct","code":"65363002","status":"RESOLVED"},{"system":"http://snomed.info/sct","code":"24079001","status":"RESOLVED"}],"session":{"scheduledAt":"2026-03-02T10:00:00Z","timeZone":"Europe/London","setting":"HOME","pressure":"LIGHT","areas":["BACK","ARMS","LEGS"]}}"""),
        new("child whose eczema relapsed", "massage-safety-appointment",
            () => AppointmentBook("c3", Prefetch(Patient("c3", "2019-05-14"), [Condition("eczema", "c3", Snomed, "24079001", clinicalStatus: "relapse")]),
                Appointment("apt", "c3", Start, "OUTPATIENT", "MODERATE", "BACK")),
            """{"patient":{"patientRef":"c3","birthDate":"2019-05-14"},"conditions":[{"system":"http://snomed.info/sct","code":"24079001"}],"session":{"scheduledAt":"2026-03-02T10:00:00Z","timeZone":"Europe/London","setting":"OUTPATIENT","pressure":"MODERATE","areas":["BACK"]}}"""),
        new("adolescent with a bleeding disorder (ICD-10-CM)", "massage-safety-appointment",
            () => AppointmentBook("a1", Prefetch(Patient("a1", "2010-11-02"), [Condition("haemophilia", "a1", Icd10, "D66")]),
                Appointment("apt", "a1", Start, "OUTPATIENT", "LIGHT", "BACK", "LEGS")),
            """{"patient":{"patientRef":"a1","birthDate":"2010-11-02"},"conditions":[{"system":"http://hl7.org/fhir/sid/icd-10-cm","code":"D66"}],"session":{"scheduledAt":"2026-03-02T10:00:00Z","timeZone":"Europe/London","setting":"OUTPATIENT","pressure":"LIGHT","areas":["BACK","LEGS"]}}"""),
    ];
}
