using Hl7.Fhir.Model;
using SafetyCheck.Core.Catalog;
using SafetyCheck.Core.Facts;
using SafetyCheck.Fhir.Input;
using SafetyCheck.Fhir.Terminology;
using SafetyCheck.Fhir.Values;

namespace SafetyCheck.Fhir.Mapping;

/// <summary>
/// Maps the FHIR R4 resources of one child (Patient, Condition, Observation) and a planned session to the request the
/// decision pipeline decides, reporting everything it did not use. Transport-neutral: <c>eval --fhir</c> and a CDS
/// Hooks service (prefetch or the EHR's FHIR server) hand it a <see cref="FhirResourceSet"/> alike. Immutable and
/// safe to share between threads; build one per rule revision (it asks that revision's catalog).
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item>Patient: exactly one (or the one named by <see cref="FhirSession.PatientId"/>; the others are ignored). None,
/// or several different ones, is a violation on <c>Patient</c>: a check is for one child, and guessing which would
/// be unsafe. The same Patient sent twice is used once; copies of it with different birth dates are a violation on
/// <c>Patient.birthDate</c> naming each.</item>
/// <item><c>Patient.birthDate</c> must be a full date: a partial one (year, or year and month) cannot give an exact
/// age and is a violation on <c>Patient.birthDate</c>, never a guess. <c>Patient.id</c> is the request's patient_ref.</item>
/// <item>Conditions: <see cref="ConditionMapper"/>. Observations: <see cref="ObservationMapper"/>. Every other resource
/// type is ignored; those of <see cref="UnreadRecords"/> (an Immunization, a Procedure…) are listed first, saying that
/// they may matter and are not read.</item>
/// <item>Violations name FHIR elements (<c>Patient.birthDate</c>, <c>Condition/c1.code</c>); those the pipeline finds
/// later are renamed by <see cref="FhirMapped.ToFhir"/>.</item>
/// </list>
/// </remarks>
public sealed class FhirRequestMapper
{
    /// <summary>
    /// Resource types that record what the policy decides by — immunisations, operations, medicines, allergies — which
    /// the check does not read (it reads them only as Conditions): listed first among what was not used, saying so.
    /// </summary>
    public static readonly IReadOnlySet<string> UnreadRecords = new HashSet<string>(StringComparer.Ordinal)
    {
        "Immunization", "Procedure", "MedicationRequest", "MedicationStatement", "MedicationAdministration", "MedicationDispense", "AllergyIntolerance",
    };

    private readonly ConditionMapper conditions;

    /// <summary>A mapper that asks <paramref name="catalog"/> to choose among codings and reads body sites with <paramref name="bodySites"/> (default: the shipped table).</summary>
    public FhirRequestMapper(ICodeResolver catalog, BodySiteMap? bodySites = null)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        conditions = new ConditionMapper(new CodingSelector(catalog), bodySites ?? BodySiteMap.Default);
    }

    /// <summary>Maps <paramref name="resources"/> for <paramref name="session"/>.</summary>
    public FhirMappingResult Map(FhirResourceSet resources, FhirSession session)
    {
        ArgumentNullException.ThrowIfNull(resources);
        ArgumentNullException.ThrowIfNull(session);
        if (resources.Problems.Count > 0)
        {
            return new FhirRejected(resources.Problems, resources.Ignored);
        }

        var zoneId = string.IsNullOrEmpty(session.TimeZone) ? "UTC" : session.TimeZone;
        if (!TimeZones.TryFind(zoneId, out var zone))
        {
            return new FhirRejected([new("session.time_zone", TimeZones.Refusal(zoneId))], resources.Ignored);
        }

        var patient = SelectPatient(resources, session, out var selectionNotes, out var selectionProblem);
        var asOf = FhirDates.LocalDate(session.ScheduledAt, zone);
        var context = new MappingContext(session, zone, asOf, new SubjectMatcher(patient?.Resource.Id, patient?.FullUrl));
        context.Ignored.AddRange(resources.Ignored);
        context.Ignored.AddRange(selectionNotes);
        if (selectionProblem is not null)
        {
            context.Violations.Add(selectionProblem);
        }

        if (patient is not null)
        {
            ReadBirthDate((Patient)patient.Resource, context);
        }

        var mapped = new List<MappedCondition>();
        var observations = new List<LocatedResource>();
        foreach (var located in resources.Resources)
        {
            CheckContained(located, context);
            switch (located.Resource)
            {
                case Patient:
                    break;
                case Condition condition:
                    conditions.Map(located, condition, context, mapped);
                    break;
                case Observation:
                    observations.Add(located);
                    break;
                case var record when UnreadRecords.Contains(record.TypeName):
                    context.IgnoreMayMatter(located.Label, UnreadRecord(record.TypeName, contained: false));
                    break;
                default:
                    context.Ignore(located.Label, $"{ResourceNames.WithArticle(located.Resource.TypeName)} is not used: the check reads Patient, Condition and Observation");
                    break;
            }
        }

        var child = ObservationMapper.Map(observations, context, new MappedChild
        {
            PatientRef = patient?.Resource.Id ?? "",
            BirthDate = context.BirthDate ?? default,
            Conditions = mapped,
        });

        if (context.Violations.Count > 0)
        {
            return new FhirRejected(context.Violations, context.IgnoredInOrder());
        }

        var (request, origins) = PipelineRequest.Build(child, session);
        return new FhirMapped(request, context.IgnoredInOrder(), origins);
    }

    /// <summary>
    /// Resources contained in <paramref name="located"/> are not read as the child's: a contained Condition or Observation
    /// is refused, naming it (reading past it could hide a fever or a fracture), and any other contained resource is
    /// listed as not used. Refusing rather than reading them keeps one meaning for a resource's subject and place.
    /// </summary>
    private static void CheckContained(LocatedResource located, MappingContext context)
    {
        if (located.Resource is not DomainResource { Contained.Count: > 0 } container)
        {
            return;
        }

        for (var i = 0; i < container.Contained.Count; i++)
        {
            var inner = container.Contained[i];
            var path = $"{located.Label}.contained[{i}]";
            if (inner is Condition or Observation)
            {
                context.Reject(path, $"is a contained {inner.TypeName}, which the check does not read: send it as a resource of its own (a Bundle entry or a prefetch item) so that it counts");
            }
            else if (UnreadRecords.Contains(inner.TypeName))
            {
                context.IgnoreMayMatter(path, UnreadRecord(inner.TypeName, contained: true));
            }
            else
            {
                context.Ignore(path, $"{ResourceNames.WithArticle(inner.TypeName)}, contained, is not used: the check reads Patient, Condition and Observation, each as a resource of its own");
            }
        }
    }

    private static string UnreadRecord(string type, bool contained) =>
        $"is {ResourceNames.WithArticle(type)}{(contained ? ", contained," : "")}, a record the check does not read (it reads Patient, Condition and Observation): what it records may change the verdict, and the check has not seen it; for the check to count it, it must be sent as a Condition, so ask the clinician about it";

    private static LocatedResource? SelectPatient(
        FhirResourceSet resources, FhirSession session, out List<IgnoredElement> notes, out Core.Validation.FieldViolation? problem)
    {
        notes = [];
        problem = null;
        var patients = resources.Resources.Where(r => r.Resource is Patient).ToList();
        if (session.PatientId is { } wanted)
        {
            foreach (var other in patients.Where(p => p.Resource.Id != wanted))
            {
                notes.Add(new IgnoredElement(other.Label, $"another patient than the one the check is for (Patient/{wanted})"));
            }

            patients.RemoveAll(p => p.Resource.Id != wanted);
        }

        if (patients.Count == 0)
        {
            problem = new("Patient", session.PatientId is { } id
                ? $"is required: no Patient/{id} was sent"
                : "is required: no Patient resource was sent");
            return null;
        }

        var distinct = patients.DistinctBy(p => string.IsNullOrEmpty(p.Resource.Id) ? p.Location : p.Resource.Id).ToList();
        if (distinct.Count > 1)
        {
            problem = new("Patient", $"{distinct.Count} different Patients were sent ({string.Join(", ", distinct.Select(p => p.Label))}): a check is for one child; send one, or name it");
            return null;
        }

        // Copies of one Patient are one child only if they agree on what the check reads: otherwise the order sent
        // would choose the birth date, and with it the age band.
        var birthDates = patients.Select(p => ((Patient)p.Resource).BirthDate ?? "").Distinct(StringComparer.Ordinal).ToList();
        if (birthDates.Count > 1)
        {
            var copies = string.Join("; ", patients.Select(p => $"at {p.Location}: {(((Patient)p.Resource).BirthDate is { Length: > 0 } date ? date : "none")}"));
            problem = new("Patient.birthDate", $"{patients[0].Label} was sent {patients.Count} times with different birth dates ({copies}): which is the child's would be a guess; send one");
            return null;
        }

        foreach (var again in patients.Skip(1))
        {
            notes.Add(new IgnoredElement(again.Label, $"the same Patient again (at {again.Location})"));
        }

        return patients[0];
    }

    private static void ReadBirthDate(Patient patient, MappingContext context)
    {
        if (patient.BirthDateElement is not { Value: not null } birthDate)
        {
            context.Reject("Patient.birthDate", "is required: the check needs the child's exact birth date");
        }
        else if (!FhirDates.TryGetExactDate(birthDate, out var date, out var precision))
        {
            context.Reject("Patient.birthDate", $"is {precision} ('{birthDate.Value}'): an exact age needs a full date YYYY-MM-DD, and the check does not guess one");
        }
        else
        {
            context.BirthDate = date;
        }
    }
}
