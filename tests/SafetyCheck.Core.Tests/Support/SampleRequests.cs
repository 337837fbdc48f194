using SafetyCheck.Core.Requests;

namespace SafetyCheck.Core.Tests.Support;

/// <summary>Synthetic requests for evaluation tests.</summary>
internal static class SampleRequests
{
    public static readonly DateTimeOffset AsOf = new(2026, 3, 2, 10, 0, 0, TimeSpan.Zero);

    public static UnvalidatedRequest Child(string birthDate = "2020-05-01", params UnvalidatedCondition[] conditions) => new()
    {
        RequestId = "req-1",
        Patient = new UnvalidatedPatient { BirthDate = birthDate, GestationalAgeAtBirth = (39, 2) },
        Conditions = conditions,
        Session = new UnvalidatedSession { ScheduledAtSeconds = AsOf.ToUnixTimeSeconds(), Setting = 1, Areas = [7] },
    };

    public static UnvalidatedCondition Icd(string code, int status = 0, string onset = "", int site = 0) =>
        new() { System = "http://hl7.org/fhir/sid/icd-10-cm", Code = code, Status = status, OnsetDate = onset, BodySite = site };
}
