using Google.Protobuf.WellKnownTypes;
using SafetyCheck.Protos.V1;

namespace SafetyCheck.IntegrationTests.Audit;

/// <summary>Synthetic requests whose verdicts on the shipped rules differ, each with a patient_ref the store must never hold.</summary>
public static class AuditRequests
{
    public const string PatientRef = "MRN-7734-2291-Q";
    public const string BirthDate = "2025-02-17";

    private static readonly DateTimeOffset SessionTime = new(2025, 6, 2, 14, 0, 0, TimeSpan.Zero);

    /// <summary>A term infant with no conditions: SUITABLE.</summary>
    public static CheckRequest Infant(string requestId = "infant", string patientRef = PatientRef) => new()
    {
        RequestId = requestId,
        Patient = new Patient
        {
            PatientRef = patientRef,
            BirthDate = BirthDate,
            GestationalAgeAtBirth = new GestationalAge { Weeks = 39, Days = 3 },
            BirthWeightGrams = 3400,
        },
        Session = new Session
        {
            ScheduledAt = Timestamp.FromDateTimeOffset(SessionTime),
            TimeZone = "Europe/London",
            Setting = Setting.Home,
            Pressure = Pressure.Light,
            Areas = { BodyArea.Back },
        },
    };

    /// <summary>The infant with a fever: NOT_SUITABLE (rule <c>fever</c>).</summary>
    public static CheckRequest Fever(string requestId = "fever")
    {
        var request = Infant(requestId);
        request.Observations = new Observations { TemperatureCelsius = 39.2 };
        return request;
    }

    /// <summary>The infant with atopic dermatitis: SUITABLE_WITH_PRECAUTIONS (rule <c>eczema</c>).</summary>
    public static CheckRequest Eczema(string requestId = "eczema")
    {
        var request = Infant(requestId);
        request.Conditions.Add(new Condition { System = "http://snomed.info/sct", Code = "24079001", Display = "Atopic dermatitis" });
        return request;
    }
}
