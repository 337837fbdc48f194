using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Hl7.Fhir.Model;
using SafetyCheck.Core.Domain;
using SafetyCheck.Core.Facts;
using SafetyCheck.Core.Validation;
using SafetyCheck.Fhir.Input;
using SafetyCheck.Fhir.Mapping;
using SafetyCheck.Fhir.Terminology;
using SafetyCheck.Fhir.Values;

namespace SafetyCheck.CdsHooks;

/// <summary>
/// The sessions a hook's context plans, one per draft resource:
/// <list type="bullet">
/// <item>appointment-book: each Appointment of <c>context.appointments</c> that is not cancelled, a no-show or entered in
/// error. Time: <c>start</c>, else the start of the first <c>requestedPeriod</c>, else the time of the call.</item>
/// <item>order-select: each ServiceRequest named in <c>context.selections</c> (other orders, and draft orders not
/// selected, are not this service's). Time: <c>occurrenceDateTime</c>, the start of <c>occurrencePeriod</c>, the first
/// <c>occurrenceTiming.event</c>, else the time of the call. Areas also from <c>bodySite</c> (SNOMED CT, through the
/// body-site table).</item>
/// </list>
/// For both: setting, pressure, medical release and areas from the <see cref="SessionExtensions"/>; the setting
/// otherwise from <see cref="CdsHooksOptions.DefaultSetting"/>. With <see cref="CdsHooksOptions.SessionCodes"/> set,
/// only appointments (serviceType, appointmentType, serviceCategory) and orders (code) carrying one are sessions.
/// Whatever is not used is noted with the session.
/// </summary>
internal static class HookSessions
{
    /// <summary>The sessions of <paramref name="call"/>; problems with the draft resources go to <paramref name="violations"/>.</summary>
    public static IReadOnlyList<PlannedSession> Read(CdsHookCall call, CdsService service, CdsHooksOptions options, DateTimeOffset now, List<FieldViolation> violations)
    {
        ArgumentNullException.ThrowIfNull(call);
        ArgumentNullException.ThrowIfNull(service);
        ArgumentNullException.ThrowIfNull(options);
        var field = service.Hook == CdsServices.AppointmentBook ? "context.appointments" : "context.draftOrders";
        var drafts = ReadDrafts(call.Drafts, field, violations);
        if (drafts is null)
        {
            return [];
        }

        if (!TimeZones.TryFind(options.TimeZone, out var zone))
        {
            throw new InvalidOperationException($"SafetyCheck:CdsHooks:TimeZone '{options.TimeZone}' is not a time zone (the options validator refuses it at start).");
        }

        var sessions = new List<PlannedSession>();
        if (service.Hook == CdsServices.AppointmentBook)
        {
            foreach (var located in drafts.Resources)
            {
                if (located.Resource is Appointment appointment && IsPlanned(appointment) && IsSession(options, [.. appointment.ServiceType, appointment.AppointmentType, .. appointment.ServiceCategory]))
                {
                    var patients = appointment.Participant.Select((p, i) => (Reference: p.Actor?.Reference, Field: $"{located.Label}.participant[{i}].actor"))
                        .Where(p => SubjectMatcher.PatientIdOf(p.Reference) is not null).ToList();
                    if (patients.Count > 0 && !patients.Any(p => SubjectMatcher.PatientIdOf(p.Reference) == call.PatientId))
                    {
                        violations.AddRange(patients.Select(p => new FieldViolation(p.Field, OtherPatient(p.Reference!, call.PatientId))));
                        continue;
                    }

                    sessions.Add(Plan(located.Label, appointment, AppointmentTime(appointment, located.Label, zone, violations), [], call, options, zone, now, violations));
                }
            }
        }
        else
        {
            foreach (var selection in call.Selections)
            {
                var order = drafts.Resources.FirstOrDefault(r => string.Equals($"{r.Resource.TypeName}/{r.Resource.Id}", selection, StringComparison.Ordinal));
                if (order?.Resource is ServiceRequest request && request.Status is not (RequestStatus.Revoked or RequestStatus.EnteredInError) && IsSession(options, [request.Code]))
                {
                    if (SubjectMatcher.PatientIdOf(request.Subject?.Reference) is { } subject && subject != call.PatientId)
                    {
                        violations.Add(new FieldViolation(order.Label + ".subject", OtherPatient(request.Subject!.Reference!, call.PatientId)));
                        continue;
                    }

                    sessions.Add(Plan(order.Label, request, OrderTime(request, order.Label, zone, violations), request.BodySite, call, options, zone, now, violations));
                }
            }
        }

        return sessions;
    }

    private static string OtherPatient(string reference, string patientId) =>
        $"is {reference}, not the hook's patient Patient/{patientId}: the session would be checked against another child's record; send the draft for the patient in context.patientId";

    private static FhirResourceSet? ReadDrafts(JsonElement drafts, string field, List<FieldViolation> violations)
    {
        // FHIR JSON leaves out an element that has no value: a null (an appointment's "start": null) would otherwise be
        // read as absent, and the session checked at another time than planned.
        var nulls = violations.Count;
        FindNullMembers(drafts, field, violations);
        if (violations.Count > nulls)
        {
            return null;
        }

        string json;
        if (drafts.ValueKind == JsonValueKind.Array)
        {
            // An array of resources (as in the hook's older examples): read as the Bundle it stands for.
            var entries = new JsonArray([.. drafts.EnumerateArray().Select(e => (JsonNode)new JsonObject { ["resource"] = JsonNode.Parse(e.GetRawText()) })]);
            json = new JsonObject { ["resourceType"] = "Bundle", ["type"] = "collection", ["entry"] = entries }.ToJsonString();
        }
        else
        {
            json = drafts.GetRawText();
        }

        var set = FhirJsonReader.Read(json);
        if (set.Problems.Count == 0)
        {
            return set;
        }

        violations.AddRange(set.Problems.Select(p => p with { Field = p.Field.StartsWith("Bundle", StringComparison.Ordinal) ? field + p.Field["Bundle".Length..] : field + "." + p.Field }));
        return null;
    }

    private static void FindNullMembers(JsonElement element, string path, List<FieldViolation> violations)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    var at = path + "." + property.Name;
                    if (property.Value.ValueKind == JsonValueKind.Null)
                    {
                        violations.Add(new(at, "is null: FHIR JSON leaves out an element that has no value; leave it out, or send its value"));
                    }
                    else
                    {
                        FindNullMembers(property.Value, at, violations);
                    }
                }

                break;
            case JsonValueKind.Array:
                var i = 0;
                foreach (var item in element.EnumerateArray())
                {
                    FindNullMembers(item, $"{path}[{i++}]", violations);
                }

                break;
        }
    }

    private static bool IsPlanned(Appointment appointment) =>
        appointment.Status is not (Appointment.AppointmentStatus.Cancelled or Appointment.AppointmentStatus.Noshow or Appointment.AppointmentStatus.EnteredInError);

    private static bool IsSession(CdsHooksOptions options, IEnumerable<CodeableConcept?> concepts) =>
        options.SessionCodes.Count == 0
        || concepts.OfType<CodeableConcept>().SelectMany(c => c.Coding).Any(c => options.SessionCodes.Contains($"{c.System}|{c.Code}", StringComparer.Ordinal));

    private static DateTimeOffset? AppointmentTime(Appointment appointment, string label, TimeZoneInfo zone, List<FieldViolation> violations)
    {
        if (appointment.StartElement is { } start)
        {
            if (start.Value is { } at)
            {
                return at;
            }

            violations.Add(new(label + ".start", "has no value: leave it out, or send the session's start"));
            return null;
        }

        for (var i = 0; i < appointment.RequestedPeriod.Count; i++)
        {
            if (appointment.RequestedPeriod[i].StartElement is { } requested)
            {
                return Planned(requested, $"{label}.requestedPeriod[{i}].start", zone, violations);
            }
        }

        return null;
    }

    private static DateTimeOffset? OrderTime(ServiceRequest request, string label, TimeZoneInfo zone, List<FieldViolation> violations)
    {
        switch (request.Occurrence)
        {
            case FhirDateTime dateTime:
                return Planned(dateTime, label + ".occurrenceDateTime", zone, violations);
            case Period { StartElement: { } start }:
                return Planned(start, label + ".occurrencePeriod.start", zone, violations);
            case Timing timing:
                for (var i = 0; i < timing.EventElement.Count; i++)
                {
                    if (timing.EventElement[i] is { } moment)
                    {
                        return Planned(moment, $"{label}.occurrenceTiming.event[{i}]", zone, violations);
                    }
                }

                return null;
            default:
                return null;
        }
    }

    /// <summary>The start of a planned time given as a dateTime; a partial one (2026-03) is refused, never read as the 1st.</summary>
    private static DateTimeOffset? Planned(FhirDateTime value, string field, TimeZoneInfo zone, List<FieldViolation> violations)
    {
        if (FhirDates.PlannedStart(value, zone, out var problem) is { } start)
        {
            return start;
        }

        violations.Add(new(field, problem));
        return null;
    }

    private static PlannedSession Plan(
        string label,
        DomainResource draft,
        DateTimeOffset? at,
        IEnumerable<CodeableConcept> bodySites,
        CdsHookCall call,
        CdsHooksOptions options,
        TimeZoneInfo zone,
        DateTimeOffset now,
        List<FieldViolation> violations)
    {
        var notes = new List<IgnoredElement>();
        if (at is null)
        {
            notes.Add(new IgnoredElement(label, "has no planned time: checked as of the time of the call"));
        }

        var setting = EnumNames.TryParse<Setting>(options.DefaultSetting, out var configured) ? configured : Setting.Unspecified;
        var pressure = Pressure.Unspecified;
        var release = false;
        var areas = new List<BodyArea>();

        // Setting, pressure and release are single-valued: copies that disagree would leave the session to whichever
        // came last, so they are refused; copies that agree are one value.
        var single = new Dictionary<string, string>(StringComparer.Ordinal);
        var settingGiven = false;
        var areaGiven = false;
        foreach (var extension in draft.Extension)
        {
            var where = $"{label}.extension('{extension.Url}')";
            switch (extension.Url)
            {
                case SessionExtensions.Setting:
                    var settingRead = violations.Count;
                    setting = Named(extension.Value, where, setting, violations);
                    if (violations.Count == settingRead)
                    {
                        settingGiven = true;
                        Once(extension.Url, EnumNames.Of(setting), where, single, violations);
                    }

                    break;
                case SessionExtensions.Pressure:
                    var pressureRead = violations.Count;
                    pressure = Named(extension.Value, where, pressure, violations);
                    if (violations.Count == pressureRead)
                    {
                        Once(extension.Url, EnumNames.Of(pressure), where, single, violations);
                    }

                    break;
                case SessionExtensions.MedicalRelease when extension.Value is FhirBoolean { Value: { } released }:
                    release = released;
                    Once(extension.Url, released ? "true" : "false", where, single, violations);
                    break;
                case SessionExtensions.MedicalRelease:
                    violations.Add(new(where, "must have a valueBoolean"));
                    break;
                case SessionExtensions.Area when extension.Value is CodeableConcept site:
                    areaGiven = true;
                    areas.AddRange(SiteAreas(site, where, notes));
                    break;
                case SessionExtensions.Area:
                    areaGiven = true;
                    areas.Add(Named(extension.Value, where, BodyArea.Unspecified, violations));
                    break;
                default:
                    notes.Add(new IgnoredElement(where, "an extension the check does not read"));
                    break;
            }
        }

        var i = 0;
        foreach (var site in bodySites)
        {
            areaGiven = true;
            areas.AddRange(SiteAreas(site, $"{label}.bodySite[{i++}]", notes));
        }

        var session = new FhirSession
        {
            ScheduledAt = at ?? now,
            TimeZone = options.TimeZone,
            Setting = setting,
            Pressure = pressure,
            MedicalRelease = release,
            Areas = [.. areas.Where(a => a != BodyArea.Unspecified).Distinct().Order()],
            RequestId = call.HookInstance.Length <= 64 ? call.HookInstance : "",
            PatientId = call.PatientId,
        };
        var scheduled = TimeZoneInfo.ConvertTime(session.ScheduledAt, zone);
        var when = scheduled.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);
        return new PlannedSession(label, session, notes, at is null ? when + " (the time of the call)" : when, DateOnly.FromDateTime(scheduled.DateTime), Unstated(label, draft.Extension, settingGiven, areaGiven, options, session));
    }

    /// <summary>
    /// The session details the draft resource did not give, each with what it means for the check: a rule on the
    /// setting, or a conflict between the plan and a precaution, cannot fire on a detail the check was never told.
    /// </summary>
    private static List<string> Unstated(string label, List<Extension> extensions, bool settingGiven, bool areaGiven, CdsHooksOptions options, FhirSession session)
    {
        var unstated = new List<string>();
        if (!settingGiven)
        {
            unstated.Add(session.Setting == Setting.Unspecified
                ? $"Setting: not given on {label} (extension {SessionExtensions.Setting}), and the service has no default: rules for a NICU or a ward (inpatient) session could not apply. If the session is in a NICU or on a ward, this check does not cover it."
                : $"Setting: not given on {label}; checked as {EnumNames.Of(session.Setting)}, the service's default (DefaultSetting). If the session is elsewhere (a NICU, a ward), check again with the setting on the {(label.StartsWith("Appointment/", StringComparison.Ordinal) ? "appointment" : "order")}.");
        }

        if (!areaGiven)
        {
            unstated.Add($"Body areas: not given on {label}: the check could not see whether the plan touches an area a precaution says to avoid, so no plan conflict could be found. Follow every \"avoid\" of the precautions.");
        }
        else if (session.Areas.Count == 0)
        {
            unstated.Add($"Body areas: none of those given on {label} could be read as a body area: no plan conflict could be found. Follow every \"avoid\" of the precautions.");
        }

        if (!extensions.Any(e => e.Url == SessionExtensions.Pressure))
        {
            unstated.Add($"Pressure: not given on {label}: the plan's pressure could not be compared with a precaution's pressure limit.");
        }

        if (!extensions.Any(e => e.Url == SessionExtensions.MedicalRelease) && session.Setting is Setting.Nicu or Setting.Unspecified)
        {
            unstated.Add($"Medical release: not given on {label}: taken as not released by the care team.");
        }

        return unstated;
    }

    /// <summary>Refuses each further copy of a single-valued extension that says something else than the first.</summary>
    private static void Once(string url, string value, string where, Dictionary<string, string> seen, List<FieldViolation> violations)
    {
        if (!seen.TryAdd(url, value) && seen[url] != value)
        {
            violations.Add(new(where, $"is given more than once with different values ({seen[url]}, {value}): the session has one, and which counts would be a guess; send it once"));
        }
    }

    private static BodyArea[] SiteAreas(CodeableConcept site, string where, List<IgnoredElement> notes)
    {
        var areas = site.Coding.Where(c => c.System == CodeSystems.SnomedCt).SelectMany(c => c.Code is { } code ? BodySiteMap.Default.AreasOf(code) : []).ToArray();
        if (areas.Length == 0)
        {
            notes.Add(new IgnoredElement(where, "no SNOMED CT body structure the body-site table maps to a body area"));
        }

        return areas;
    }

    private static T Named<T>(DataType? value, string where, T fallback, List<FieldViolation> violations)
        where T : struct, Enum
    {
        var name = value switch
        {
            Code code => code.Value,
            FhirString text => text.Value,
            _ => null,
        };
        if (EnumNames.TryParse<T>(name, out var parsed) && !parsed.Equals(default(T)))
        {
            return parsed;
        }

        violations.Add(new(where, $"must have a valueCode, one of {string.Join(", ", EnumNames.All<T>())}"));
        return fallback;
    }
}
