using System.Globalization;
using SafetyCheck.Core.Requests;

namespace SafetyCheck.Fhir.Mapping;

/// <summary>
/// The one place where the FHIR mapping meets the request the decision pipeline takes
/// (<see cref="UnvalidatedRequest"/>): if that type is renamed or reshaped, this is the edit. It also records which
/// FHIR element each request field came from.
/// </summary>
internal static class PipelineRequest
{
    public static (UnvalidatedRequest Request, FieldOrigins Origins) Build(MappedChild child, FhirSession session)
    {
        var origins = new FieldOrigins();
        origins.Add("patient", "Patient");
        origins.Add("patient.patient_ref", "Patient.id");
        origins.Add("patient.birth_date", "Patient.birthDate");
        origins.Add("patient.gestational_age_at_birth", child.GestationalAgeElement);
        origins.Add("patient.birth_weight_grams", child.BirthWeightElement);
        origins.Add("observations.temperature_celsius", child.TemperatureElement);
        origins.Add("conditions", "Condition");

        var conditions = new UnvalidatedCondition[child.Conditions.Count];
        for (var i = 0; i < conditions.Length; i++)
        {
            var condition = child.Conditions[i];
            var path = string.Create(CultureInfo.InvariantCulture, $"conditions[{i}]");
            origins.Add(path, condition.Label);
            var coding = string.Create(CultureInfo.InvariantCulture, $"{condition.Label}.code.coding[{condition.Coding.Index}]");
            origins.Add(path + ".system", coding + ".system");
            origins.Add(path + ".code", coding + ".code");
            origins.Add(path + ".display", coding + ".display");
            origins.Add(path + ".status", condition.Label + ".clinicalStatus");
            origins.Add(path + ".onset_date", condition.OnsetElement.Length == 0 ? "" : $"{condition.Label}.{condition.OnsetElement}");
            origins.Add(path + ".body_site", condition.Label + ".bodySite");
            conditions[i] = new UnvalidatedCondition
            {
                System = condition.Coding.System,
                Code = condition.Coding.Code,
                Display = condition.Display,
                Status = (int)condition.Status,
                OnsetDate = condition.Onset is { } onset ? MappingContext.Format(onset) : "",
                BodySite = (int)(condition.BodySite ?? default),
            };
        }

        var scheduledAt = session.ScheduledAt.ToUniversalTime();
        var request = new UnvalidatedRequest
        {
            RequestId = session.RequestId,
            Patient = new UnvalidatedPatient
            {
                PatientRef = child.PatientRef,
                BirthDate = MappingContext.Format(child.BirthDate),
                GestationalAgeAtBirth = child.GestationalAge is { } ga ? (ga.Weeks, ga.Days) : null,
                BirthWeightGrams = child.BirthWeightGrams,
            },
            Conditions = conditions,
            Session = new UnvalidatedSession
            {
                ScheduledAtSeconds = scheduledAt.ToUnixTimeSeconds(),
                ScheduledAtNanos = (int)(scheduledAt.Ticks % TimeSpan.TicksPerSecond * 100),
                TimeZone = session.TimeZone,
                Setting = (int)session.Setting,
                Pressure = (int)session.Pressure,
                MedicalRelease = session.MedicalRelease,
                Areas = session.Areas.Select(a => (int)a).ToArray(),
            },
            TemperatureCelsius = child.TemperatureCelsius,
            Explain = session.Explain,
        };
        return (request, origins);
    }
}
