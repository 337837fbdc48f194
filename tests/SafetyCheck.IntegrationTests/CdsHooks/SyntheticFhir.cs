using System.Globalization;
using System.Text.Json.Nodes;

namespace SafetyCheck.IntegrationTests.CdsHooks;

/// <summary>FHIR R4 JSON for synthetic children, and CDS Hooks call bodies around it, written from the specifications.</summary>
internal static class SyntheticFhir
{
    public const string Snomed = "http://snomed.info/sct";

    public const string Icd10 = "http://hl7.org/fhir/sid/icd-10-cm";

    /// <summary>Every prefetch key the service's discovery asks for.</summary>
    public static readonly string[] PrefetchKeys = ["patient", "conditions", "gestationalAgeAtBirth", "gestationalAgeEstimated", "gestationalAge", "birthWeight", "bodyTemperature"];

    public static JsonObject Patient(string id, string birthDate) =>
        new() { ["resourceType"] = "Patient", ["id"] = id, ["birthDate"] = birthDate };

    public static JsonObject Condition(string id, string patientId, string system, string code, string clinicalStatus = "active", string? verification = null, string? onset = null, string? secondSystem = null, string? secondCode = null)
    {
        var codings = new JsonArray(new JsonObject { ["system"] = system, ["code"] = code });
        if (secondSystem is not null)
        {
            codings.Add(new JsonObject { ["system"] = secondSystem, ["code"] = secondCode });
        }

        var condition = new JsonObject
        {
            ["resourceType"] = "Condition",
            ["id"] = id,
            ["clinicalStatus"] = Concept("http://terminology.hl7.org/CodeSystem/condition-clinical", clinicalStatus),
            ["code"] = new JsonObject { ["coding"] = codings },
            ["subject"] = new JsonObject { ["reference"] = "Patient/" + patientId },
        };
        if (verification is not null)
        {
            condition["verificationStatus"] = Concept("http://terminology.hl7.org/CodeSystem/condition-ver-status", verification);
        }

        if (onset is not null)
        {
            condition["onsetDateTime"] = onset;
        }

        return condition;
    }

    public static JsonObject Observation(string id, string patientId, string loinc, double value, string unit, string effective = "2025-01-01")
    {
        var observation = new JsonObject
        {
            ["resourceType"] = "Observation",
            ["id"] = id,
            ["status"] = "final",
            ["code"] = Concept("http://loinc.org", loinc),
            ["subject"] = new JsonObject { ["reference"] = "Patient/" + patientId },
            ["effectiveDateTime"] = effective,
            ["valueQuantity"] = new JsonObject { ["value"] = value, ["unit"] = unit, ["system"] = "http://unitsofmeasure.org", ["code"] = unit },
        };
        return observation;
    }

    public static JsonObject Searchset(IEnumerable<JsonObject> resources) => new()
    {
        ["resourceType"] = "Bundle",
        ["type"] = "searchset",
        ["entry"] = new JsonArray([.. resources.Select(r => (JsonNode)new JsonObject { ["resource"] = r, ["search"] = new JsonObject { ["mode"] = "match" } })]),
    };

    /// <summary>A complete prefetch: the Patient, its Conditions, and each Observation under its key (empty searches for the rest).</summary>
    public static JsonObject Prefetch(JsonObject patient, IEnumerable<JsonObject>? conditions = null, JsonObject? gestationalAge = null, JsonObject? birthWeight = null, JsonObject? temperature = null) => new()
    {
        ["patient"] = patient,
        ["conditions"] = Searchset(conditions ?? []),
        ["gestationalAgeAtBirth"] = Searchset(gestationalAge is null ? [] : [gestationalAge]),
        ["gestationalAgeEstimated"] = Searchset([]),
        ["gestationalAge"] = Searchset([]),
        ["birthWeight"] = Searchset(birthWeight is null ? [] : [birthWeight]),
        ["bodyTemperature"] = Searchset(temperature is null ? [] : [temperature]),
    };

    /// <summary>A proposed Appointment with the session extensions (setting, pressure, area codes).</summary>
    public static JsonObject Appointment(string id, string patientId, string start, string? setting = null, string? pressure = null, params string[] areas)
    {
        var extensions = new JsonArray();
        if (setting is not null)
        {
            extensions.Add(new JsonObject { ["url"] = "urn:safetycheck:fhir:session-setting", ["valueCode"] = setting });
        }

        if (pressure is not null)
        {
            extensions.Add(new JsonObject { ["url"] = "urn:safetycheck:fhir:session-pressure", ["valueCode"] = pressure });
        }

        foreach (var area in areas)
        {
            extensions.Add(new JsonObject { ["url"] = "urn:safetycheck:fhir:session-area", ["valueCode"] = area });
        }

        var appointment = new JsonObject
        {
            ["resourceType"] = "Appointment",
            ["id"] = id,
            ["status"] = "proposed",
            ["start"] = start,
            ["participant"] = new JsonArray(new JsonObject { ["actor"] = new JsonObject { ["reference"] = "Patient/" + patientId }, ["status"] = "needs-action" }),
        };
        if (extensions.Count > 0)
        {
            appointment["extension"] = extensions;
        }

        return appointment;
    }

    /// <summary>A draft massage therapy ServiceRequest with SNOMED CT body sites and the session extensions.</summary>
    public static JsonObject MassageOrder(string id, string patientId, string occurrence, string? setting, string? pressure, params string[] bodySites)
    {
        var order = new JsonObject
        {
            ["resourceType"] = "ServiceRequest",
            ["id"] = id,
            ["status"] = "draft",
            ["intent"] = "order",
            ["code"] = new JsonObject { ["text"] = "Infant massage" },
            ["subject"] = new JsonObject { ["reference"] = "Patient/" + patientId },
            ["occurrenceDateTime"] = occurrence,
            ["bodySite"] = new JsonArray([.. bodySites.Select(s => (JsonNode)Concept(Snomed, s))]),
        };
        var extensions = new JsonArray();
        if (setting is not null)
        {
            extensions.Add(new JsonObject { ["url"] = "urn:safetycheck:fhir:session-setting", ["valueCode"] = setting });
        }

        if (pressure is not null)
        {
            extensions.Add(new JsonObject { ["url"] = "urn:safetycheck:fhir:session-pressure", ["valueCode"] = pressure });
        }

        if (extensions.Count > 0)
        {
            order["extension"] = extensions;
        }

        return order;
    }

    /// <summary>An appointment-book call (R4: the appointments as a Bundle).</summary>
    public static JsonObject AppointmentBook(string patientId, JsonObject? prefetch, params JsonObject[] appointments)
    {
        var call = new JsonObject
        {
            ["hook"] = "appointment-book",
            ["hookInstance"] = Guid.CreateVersion7(DateTimeOffset.UnixEpoch).ToString(),
            ["context"] = new JsonObject
            {
                ["userId"] = "PractitionerRole/synthetic-scheduler",
                ["patientId"] = patientId,
                ["appointments"] = new JsonObject
                {
                    ["resourceType"] = "Bundle",
                    ["type"] = "collection",
                    ["entry"] = new JsonArray([.. appointments.Select(a => (JsonNode)new JsonObject { ["resource"] = a })]),
                },
            },
        };
        if (prefetch is not null)
        {
            call["prefetch"] = prefetch;
        }

        return call;
    }

    /// <summary>An order-select call selecting <paramref name="selections"/> among <paramref name="orders"/>.</summary>
    public static JsonObject OrderSelect(string patientId, JsonObject? prefetch, string[] selections, params JsonObject[] orders)
    {
        var call = new JsonObject
        {
            ["hook"] = "order-select",
            ["hookInstance"] = Guid.CreateVersion7(DateTimeOffset.UnixEpoch).ToString(),
            ["context"] = new JsonObject
            {
                ["userId"] = "PractitionerRole/synthetic-clinician",
                ["patientId"] = patientId,
                ["encounterId"] = "synthetic-encounter",
                ["selections"] = new JsonArray([.. selections.Select(s => (JsonNode)JsonValue.Create(s))]),
                ["draftOrders"] = new JsonObject
                {
                    ["resourceType"] = "Bundle",
                    ["type"] = "collection",
                    ["entry"] = new JsonArray([.. orders.Select(o => (JsonNode)new JsonObject { ["resource"] = o })]),
                },
            },
        };
        if (prefetch is not null)
        {
            call["prefetch"] = prefetch;
        }

        return call;
    }

    public static string Date(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static JsonObject Concept(string system, string code) => new() { ["coding"] = new JsonArray(new JsonObject { ["system"] = system, ["code"] = code }) };
}
