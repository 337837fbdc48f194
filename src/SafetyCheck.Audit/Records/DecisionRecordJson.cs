using System.Text.Json;
using System.Text.Json.Nodes;
using SafetyCheck.Audit.Json;
using SafetyCheck.Audit.Storage;
using SafetyCheck.Core.Domain;
using SafetyCheck.Core.Evaluation;
using static SafetyCheck.Audit.Records.JsonMembers;

namespace SafetyCheck.Audit.Records;

/// <summary>
/// The stored form of a decision record. Schema v2 (<see cref="SchemaV2"/>), written today, keeps what replay and audit
/// need and leaves out every member at its default (see the README); v1 (<see cref="SchemaV1"/>) records, written
/// before it, are read as well. Both are canonical JSON with snake_case members, enum values by their contract names
/// and instants in <see cref="AuditTime"/> form; the entry hash is the SHA-256 of that JSON, which carries the
/// sequence and the previous hash, so neither can change without changing the hash.
/// </summary>
public static class DecisionRecordJson
{
    /// <summary>Schema tag of the records written before the compact record.</summary>
    public const string SchemaV1 = "safetycheck.decision/v1";

    /// <summary>Schema tag of the records written today; also separates this hash domain from any other JSON hashed elsewhere.</summary>
    public const string SchemaV2 = "safetycheck.decision/v2";

    /// <summary>The canonical JSON of <paramref name="content"/> placed at <paramref name="sequence"/> after <paramref name="prevHash"/>.</summary>
    /// <exception cref="ArgumentException">A value has no canonical form.</exception>
    public static string Canonical(DecisionRecordDraft content, long sequence, string prevHash)
    {
        using var writer = new CanonicalJsonWriter();
        Write(writer, content, sequence, prevHash);
        return writer.ToString();
    }

    /// <summary>Lowercase hex SHA-256 of the UTF-8 bytes of <paramref name="canonicalJson"/>.</summary>
    public static string Hash(string canonicalJson) => ChainHash.Of(canonicalJson);

    /// <summary>Writes the v2 record of <paramref name="d"/>, members in canonical order.</summary>
    /// <exception cref="ArgumentException">A value has no canonical form.</exception>
    public static void Write(CanonicalJsonWriter w, DecisionRecordDraft d, long sequence, string prevHash)
    {
        ArgumentNullException.ThrowIfNull(w);
        ArgumentNullException.ThrowIfNull(d);
        ArgumentNullException.ThrowIfNull(prevHash);
        w.WriteStartObject();
        w.WritePropertyName("as_of");
        w.WriteTimeValue(d.AsOf);
        WriteIds(w, "benefits", d.Benefits);
        w.WriteString("caller", d.Caller);
        w.WriteString("decision_id", d.DecisionId);
        w.WriteString("engine", d.EngineVersion);
        if (d.Errors.Count > 0)
        {
            w.WritePropertyName("errors");
            w.WriteStartArray();
            for (var i = 0; i < d.Errors.Count; i++)
            {
                var error = d.Errors[i];
                w.WriteStartObject();
                w.WriteString("error", error.Error ?? throw new ArgumentException($"Rule {error.RuleId} is listed as errored without an error.", nameof(d)));
                w.WriteString("rule_id", error.RuleId);
                w.WriteEndObject();
            }

            w.WriteEndArray();
        }

        w.WritePropertyName("facts");
        FactsJson.Write(w, d.Facts);
        if (d.PatientPseudonym.Length > 0)
        {
            w.WritePropertyName("patient");
            w.WriteStartObject();
            w.WriteString("key_id", d.PseudonymKeyId);
            w.WriteString("pseudonym", d.PatientPseudonym);
            w.WriteEndObject();
        }

        WriteIds(w, "plan_conflicts", d.PlanConflicts);
        WriteIds(w, "precautions", d.Precautions);
        w.WriteString("prev_hash", prevHash);
        w.WritePropertyName("recorded_at");
        w.WriteTimeValue(d.RecordedAt);
        w.WriteString("results_digest", d.ResultsDigest);
        w.WriteString("revision", d.Revision);
        w.WriteString("schema", SchemaV2);
        w.WriteNumber("sequence", sequence);
        w.WriteString("time_zone", d.TimeZoneId);
        if (d.Unrecognized.Count > 0)
        {
            w.WritePropertyName("unrecognized");
            w.WriteStartArray();
            for (var i = 0; i < d.Unrecognized.Count; i++)
            {
                var code = d.Unrecognized[i];
                w.WriteStartObject();
                FactsJson.WriteRef(w, code.System, code.Code);
                FactsJson.WriteStatus(w, code.Status);
                w.WriteEndObject();
            }

            w.WriteEndArray();
        }

        w.WriteString("verdict", EnumNames.Of(d.Verdict));
        w.WriteEndObject();
    }

    /// <summary>The <c>rule_ids</c> index column: a canonical JSON array of <paramref name="ruleIds"/>.</summary>
    public static string RuleIdsColumn(IReadOnlyList<string> ruleIds)
    {
        ArgumentNullException.ThrowIfNull(ruleIds);
        using var w = new CanonicalJsonWriter();
        w.WriteStartArray();
        for (var i = 0; i < ruleIds.Count; i++)
        {
            var id = ruleIds[i];
            w.WriteStringValue(id);
        }

        w.WriteEndArray();
        return w.ToString();
    }

    /// <summary>Reads a stored decision record of either schema.</summary>
    /// <param name="json">The record as stored.</param>
    /// <param name="entryHash">The entry hash stored with it (not recomputed).</param>
    /// <exception cref="InvalidDataException">The text is not a decision record of a schema this build reads.</exception>
    public static DecisionRecord Parse(string json, string entryHash)
    {
        ArgumentNullException.ThrowIfNull(json);
        JsonObject root;
        try
        {
            root = JsonNode.Parse(json) as JsonObject ?? throw new InvalidDataException("a decision record is a JSON object");
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException("a decision record is not valid JSON: " + ex.Message, ex);
        }

        return Parse(root, entryHash);
    }

    /// <summary>Reads a decision record already parsed as JSON.</summary>
    /// <exception cref="InvalidDataException">It is not a decision record of a schema this build reads.</exception>
    internal static DecisionRecord Parse(JsonObject root, string entryHash)
    {
        try
        {
            var schema = Str(root, "schema");
            return schema switch
            {
                SchemaV2 => new DecisionRecord(Long(root, "sequence"), Str(root, "prev_hash"), entryHash, ReadV2(root)),
                SchemaV1 => LegacyDecisionJson.Read(root, entryHash),
                _ => throw new InvalidDataException($"unknown decision record schema '{schema}' (this build reads '{SchemaV1}' and '{SchemaV2}')"),
            };
        }
        catch (Exception ex) when (ex is FormatException or InvalidOperationException or KeyNotFoundException or ArgumentException)
        {
            throw new InvalidDataException("a decision record is malformed: " + ex.Message, ex);
        }
    }

    private static DecisionRecordDraft ReadV2(JsonObject root)
    {
        var patient = Has(root, "patient") ? Obj(root, "patient") : null;
        return new DecisionRecordDraft
        {
            DecisionId = Str(root, "decision_id"),
            RecordedAt = AuditTime.Read(Str(root, "recorded_at")),
            Caller = Str(root, "caller"),
            Revision = Str(root, "revision"),
            EngineVersion = Str(root, "engine"),
            AsOf = AuditTime.Read(Str(root, "as_of")),
            TimeZoneId = Str(root, "time_zone"),
            PatientPseudonym = patient is null ? "" : Str(patient, "pseudonym"),
            PseudonymKeyId = patient is null ? "" : Str(patient, "key_id"),
            Facts = FactsJson.ReadV2(Obj(root, "facts")),
            Unrecognized = Has(root, "unrecognized") ? Items(root, "unrecognized", ReadCode) : [],
            Verdict = Enum<Suitability>(root, "verdict"),
            Precautions = Ids(root, "precautions"),
            PlanConflicts = Ids(root, "plan_conflicts"),
            Benefits = Ids(root, "benefits"),
            Errors = Has(root, "errors") ? Items(root, "errors", e => new RuleOutcome(Str(e, "rule_id"), false, Str(e, "error"))) : [],
            ResultsDigest = Str(root, "results_digest"),
        };
    }

    private static CodeReference ReadCode(JsonObject code)
    {
        var (system, value) = CodeRefs.Parse(Str(code, "ref"));
        return new CodeReference(system, value, FactsJson.ReadStatus(code));
    }

    private static string[] Ids(JsonObject root, string name) => Has(root, name) ? Strings(root, name) : [];

    private static void WriteIds(CanonicalJsonWriter w, string name, IReadOnlyList<string> ids)
    {
        if (ids.Count == 0)
        {
            return;
        }

        w.WritePropertyName(name);
        w.WriteStartArray();
        for (var i = 0; i < ids.Count; i++)
        {
            var id = ids[i];
            w.WriteStringValue(id);
        }

        w.WriteEndArray();
    }
}
