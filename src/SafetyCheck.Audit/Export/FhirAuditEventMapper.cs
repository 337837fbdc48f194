using System.Text.Json.Nodes;
using SafetyCheck.Audit.Json;
using SafetyCheck.Audit.Records;
using SafetyCheck.Core.Domain;
using SafetyCheck.Core.Rules;

namespace SafetyCheck.Audit.Export;

/// <summary>
/// Maps a decision record to a FHIR R4 AuditEvent (after IHE BALP's authorisation-decision pattern): action E
/// (execute), outcome 0 (a verdict was produced), the caller as requesting agent, the service as observer, the patient
/// as an identifier holding the pseudonym (never a Patient reference), and the rule set with the verdict and fired rule
/// ids as entity details.
/// </summary>
internal static class FhirAuditEventMapper
{
    public const string LocalSystem = "urn:safetycheck:audit";

    public static string ToJson(DecisionRecord record, RulesetIdentity ruleset)
    {
        var c = record.Content;
        var entities = new JsonArray();
        if (c.PatientPseudonym.Length > 0)
        {
            entities.Add(new JsonObject
            {
                ["what"] = new JsonObject
                {
                    ["identifier"] = new JsonObject { ["system"] = "urn:safetycheck:pseudonym:" + c.PseudonymKeyId, ["value"] = c.PatientPseudonym },
                },
                ["type"] = Coding("http://terminology.hl7.org/CodeSystem/audit-entity-type", "1", "Person"),
                ["role"] = Coding("http://terminology.hl7.org/CodeSystem/object-role", "1", "Patient"),
            });
        }

        entities.Add(new JsonObject
        {
            ["what"] = new JsonObject
            {
                ["identifier"] = new JsonObject { ["system"] = "urn:safetycheck:ruleset:" + ruleset.Name, ["value"] = ruleset.Revision },
            },
            ["type"] = Coding("http://terminology.hl7.org/CodeSystem/audit-entity-type", "2", "System Object"),
            ["name"] = $"{ruleset.Name} {ruleset.Version}",
            ["detail"] = new JsonArray(
                Detail("verdict", EnumNames.Of(c.Verdict)),
                Detail("fired_rules", string.Join(' ', c.FiredRuleIds)),
                Detail("sequence", record.Sequence.ToString(System.Globalization.CultureInfo.InvariantCulture)),
                Detail("entry_hash", record.EntryHash)),
        });

        var resource = new JsonObject
        {
            ["resourceType"] = "AuditEvent",
            ["id"] = c.DecisionId,
            ["type"] = Coding(LocalSystem, "rule-evaluation", "Clinical safety rule evaluation"),
            ["action"] = "E",
            ["recorded"] = AuditTime.Write(c.RecordedAt),
            ["outcome"] = "0",
            ["outcomeDesc"] = EnumNames.Of(c.Verdict),
            ["agent"] = new JsonArray(new JsonObject
            {
                ["who"] = new JsonObject { ["identifier"] = new JsonObject { ["system"] = LocalSystem + ":caller", ["value"] = c.Caller } },
                ["requestor"] = true,
            }),
            ["source"] = new JsonObject
            {
                ["observer"] = new JsonObject { ["display"] = "SafetyCheck " + c.EngineVersion },
            },
            ["entity"] = entities,
        };
        return CanonicalJson.Serialize(resource);
    }

    private static JsonObject Coding(string system, string code, string display) => new()
    {
        ["system"] = system,
        ["code"] = code,
        ["display"] = display,
    };

    private static JsonObject Detail(string type, string value) => new() { ["type"] = type, ["valueString"] = value };
}
