using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using SafetyCheck.Core.Domain;
using SafetyCheck.Core.Evaluation;
using SafetyCheck.Core.Facts;
using SafetyCheck.Core.Rules;

namespace SafetyCheck.Core.Audit;

/// <summary>
/// The stored form of a decision record (schema <see cref="Schema"/>): snake_case members, enum values by their
/// contract names, instants in <see cref="AuditTime"/> form, unknown facts as <c>null</c>. The entry hash is the SHA-256
/// of the canonical JSON of this object, which carries the sequence and the previous hash, so neither can change
/// without changing the hash.
/// </summary>
internal static class DecisionRecordJson
{
    /// <summary>Schema tag inside every record; also separates this hash domain from any other JSON hashed elsewhere.</summary>
    public const string Schema = "safetycheck.decision/v1";

    /// <summary>The canonical JSON of <paramref name="content"/> placed at <paramref name="sequence"/> after <paramref name="prevHash"/>.</summary>
    public static string Canonical(DecisionRecordDraft content, long sequence, string prevHash) =>
        CanonicalJson.Serialize(ToJson(content, sequence, prevHash));

    /// <summary>Lowercase hex SHA-256 of the UTF-8 bytes of <paramref name="canonicalJson"/>.</summary>
    public static string Hash(string canonicalJson) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonicalJson)));

    public static JsonObject ToJson(DecisionRecordDraft d, long sequence, string prevHash) => new()
    {
        ["schema"] = Schema,
        ["sequence"] = sequence,
        ["prev_hash"] = prevHash,
        ["decision_id"] = d.DecisionId,
        ["recorded_at"] = AuditTime.Write(d.RecordedAt),
        ["caller"] = d.Caller,
        ["ruleset"] = new JsonObject
        {
            ["name"] = d.Ruleset.Name,
            ["version"] = d.Ruleset.Version,
            ["revision"] = d.Ruleset.Revision,
        },
        ["engine"] = d.EngineVersion,
        ["as_of"] = AuditTime.Write(d.AsOf),
        ["time_zone"] = d.TimeZoneId,
        ["patient"] = new JsonObject
        {
            ["pseudonym"] = d.PatientPseudonym,
            ["key_id"] = d.PseudonymKeyId,
        },
        ["facts"] = FactsToJson(d.Facts),
        ["unrecognized"] = Array(d.Unrecognized, c => new JsonObject
        {
            ["system"] = c.System,
            ["code"] = c.Code,
            ["status"] = EnumNames.Of(c.Status),
        }),
        ["verdict"] = EnumNames.Of(d.Verdict),
        ["precautions"] = Array(d.Precautions, p => new JsonObject
        {
            ["rule_id"] = p.RuleId,
            ["outcome"] = EnumNames.Of(p.Outcome),
            ["severity"] = EnumNames.Of(p.Severity),
            ["plan_conflict"] = p.PlanConflict,
            ["avoid_areas"] = Array(p.AvoidAreas, a => JsonValue.Create(EnumNames.Of(a))),
            ["max_pressure"] = EnumNames.Of(p.MaxPressure),
            ["triggered_by"] = Array(p.TriggeredBy, t => JsonValue.Create(t)),
        }),
        ["benefits"] = Array(d.Benefits, b => JsonValue.Create(b)),
        ["rules"] = Array(d.Rules, r => new JsonObject
        {
            ["rule_id"] = r.RuleId,
            ["result"] = r.Errored ? "errored" : r.Fired ? "fired" : "not_fired",
            ["error"] = r.Error,
        }),
    };

    /// <summary>Reads a stored record back.</summary>
    /// <exception cref="InvalidDataException">The text is not a record of this schema.</exception>
    public static (long Sequence, string PrevHash, DecisionRecordDraft Content) Parse(string json)
    {
        JsonObject root;
        try
        {
            root = JsonNode.Parse(json) as JsonObject ?? throw new InvalidDataException("a decision record is a JSON object");
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException("a decision record is not valid JSON: " + ex.Message, ex);
        }

        try
        {
            var schema = Str(root, "schema");
            if (schema != Schema)
            {
                throw new InvalidDataException($"unknown decision record schema '{schema}' (expected '{Schema}')");
            }

            var ruleset = Obj(root, "ruleset");
            var patient = Obj(root, "patient");
            var content = new DecisionRecordDraft
            {
                DecisionId = Str(root, "decision_id"),
                RecordedAt = AuditTime.Read(Str(root, "recorded_at")),
                Caller = Str(root, "caller"),
                Ruleset = new RulesetIdentity(Str(ruleset, "name"), Str(ruleset, "version"), Str(ruleset, "revision")),
                EngineVersion = Str(root, "engine"),
                AsOf = AuditTime.Read(Str(root, "as_of")),
                TimeZoneId = Str(root, "time_zone"),
                PatientPseudonym = Str(patient, "pseudonym"),
                PseudonymKeyId = Str(patient, "key_id"),
                Facts = FactsFromJson(Obj(root, "facts")),
                Unrecognized = Items(root, "unrecognized", n => new CodeReference(Str(n, "system"), Str(n, "code"), Enum<ConditionStatus>(n, "status"))),
                Verdict = Enum<Suitability>(root, "verdict"),
                Precautions = Items(root, "precautions", n => new RecordedPrecaution(
                    Str(n, "rule_id"),
                    Enum<Suitability>(n, "outcome"),
                    Enum<Severity>(n, "severity"),
                    Bool(n, "plan_conflict"),
                    Strings(n, "avoid_areas").Select(ParseEnum<BodyArea>).ToArray(),
                    Enum<Pressure>(n, "max_pressure"),
                    Strings(n, "triggered_by"))),
                Benefits = Strings(root, "benefits"),
                Rules = Items(root, "rules", ReadRuleOutcome),
            };
            return (Long(root, "sequence"), Str(root, "prev_hash"), content);
        }
        catch (Exception ex) when (ex is FormatException or InvalidOperationException or KeyNotFoundException)
        {
            throw new InvalidDataException("a decision record is malformed: " + ex.Message, ex);
        }
    }

    private static JsonObject FactsToJson(ChildFactsData f) => new()
    {
        ["as_of_date"] = AuditTime.WriteDate(f.AsOfDate),
        ["age_days"] = f.AgeDays,
        ["age_months"] = f.AgeMonths,
        ["age_years"] = f.AgeYears,
        ["infant_age_days"] = f.InfantAgeDays,
        ["infant_age_months"] = f.InfantAgeMonths,
        ["gestational_age_days"] = f.GestationalAgeDays,
        ["corrected_age_days"] = f.CorrectedAgeDays,
        ["corrected_age_months"] = f.CorrectedAgeMonths,
        ["postmenstrual_age_days"] = f.PostmenstrualAgeDays,
        ["birth_weight_grams"] = f.BirthWeightGrams,
        ["temperature_celsius"] = f.TemperatureCelsius,
        ["minutes_since_last_feed"] = f.MinutesSinceLastFeed,
        ["age_band"] = EnumNames.Of(f.AgeBand),
        ["gestation_category"] = EnumNames.Of(f.GestationCategory),
        ["birth_weight_category"] = EnumNames.Of(f.BirthWeightCategory),
        ["setting"] = EnumNames.Of(f.Setting),
        ["planned_pressure"] = EnumNames.Of(f.PlannedPressure),
        ["medical_release"] = f.MedicalRelease,
        ["planned_areas"] = Array(f.PlannedAreas, a => JsonValue.Create(EnumNames.Of(a))),
        ["conditions"] = Array(f.Conditions, c => new JsonObject
        {
            ["id"] = c.Id,
            ["status"] = EnumNames.Of(c.Status),
            ["onset_date"] = c.OnsetDate is { } onset ? AuditTime.WriteDate(onset) : null,
            ["body_site"] = c.BodySite is { } site ? EnumNames.Of(site) : null,
            ["system"] = c.System,
            ["code"] = c.Code,
        }),
    };

    private static ChildFactsData FactsFromJson(JsonObject f) => new()
    {
        AsOfDate = AuditTime.ReadDate(Str(f, "as_of_date")),
        AgeDays = Int(f, "age_days"),
        AgeMonths = Int(f, "age_months"),
        AgeYears = Int(f, "age_years"),
        InfantAgeDays = Int(f, "infant_age_days"),
        InfantAgeMonths = Int(f, "infant_age_months"),
        GestationalAgeDays = OptionalInt(f, "gestational_age_days"),
        CorrectedAgeDays = OptionalInt(f, "corrected_age_days"),
        CorrectedAgeMonths = OptionalInt(f, "corrected_age_months"),
        PostmenstrualAgeDays = OptionalInt(f, "postmenstrual_age_days"),
        BirthWeightGrams = OptionalInt(f, "birth_weight_grams"),
        TemperatureCelsius = Member(f, "temperature_celsius")?.GetValue<double>(),
        MinutesSinceLastFeed = OptionalInt(f, "minutes_since_last_feed"),
        AgeBand = Enum<AgeBand>(f, "age_band"),
        GestationCategory = Enum<GestationCategory>(f, "gestation_category"),
        BirthWeightCategory = Enum<BirthWeightCategory>(f, "birth_weight_category"),
        Setting = Enum<Setting>(f, "setting"),
        PlannedPressure = Enum<Pressure>(f, "planned_pressure"),
        MedicalRelease = Bool(f, "medical_release"),
        PlannedAreas = Strings(f, "planned_areas").Select(ParseEnum<BodyArea>).ToArray(),
        Conditions = Items(f, "conditions", c => new FactCondition(
            Str(c, "id"),
            Enum<ConditionStatus>(c, "status"),
            Member(c, "onset_date") is { } onset ? AuditTime.ReadDate(onset.GetValue<string>()) : null,
            Member(c, "body_site") is { } site ? ParseEnum<BodyArea>(site.GetValue<string>()) : null,
            Str(c, "system"),
            Str(c, "code"))),
    };

    private static RuleOutcome ReadRuleOutcome(JsonObject n)
    {
        var error = Member(n, "error")?.GetValue<string>();
        return Str(n, "result") switch
        {
            "fired" when error is null => new RuleOutcome(Str(n, "rule_id"), true, null),
            "not_fired" when error is null => new RuleOutcome(Str(n, "rule_id"), false, null),
            "errored" when error is not null => new RuleOutcome(Str(n, "rule_id"), false, error),
            var other => throw new InvalidDataException($"rule result '{other}' does not match its error field"),
        };
    }

    private static JsonArray Array<T>(IEnumerable<T> items, Func<T, JsonNode?> map) => new([.. items.Select(map)]);

    private static JsonNode? Member(JsonObject obj, string name) =>
        obj.TryGetPropertyValue(name, out var node) ? node : throw new InvalidDataException($"member '{name}' is missing");

    private static JsonObject Obj(JsonObject obj, string name) =>
        Member(obj, name) as JsonObject ?? throw new InvalidDataException($"member '{name}' is not an object");

    private static string Str(JsonObject obj, string name) =>
        Member(obj, name)?.GetValue<string>() ?? throw new InvalidDataException($"member '{name}' is null");

    private static long Long(JsonObject obj, string name) =>
        Member(obj, name)?.GetValue<long>() ?? throw new InvalidDataException($"member '{name}' is null");

    private static int Int(JsonObject obj, string name) =>
        Member(obj, name)?.GetValue<int>() ?? throw new InvalidDataException($"member '{name}' is null");

    private static int? OptionalInt(JsonObject obj, string name) => Member(obj, name)?.GetValue<int>();

    private static bool Bool(JsonObject obj, string name) =>
        Member(obj, name)?.GetValue<bool>() ?? throw new InvalidDataException($"member '{name}' is null");

    private static T Enum<T>(JsonObject obj, string name)
        where T : struct, Enum => ParseEnum<T>(Str(obj, name));

    private static T ParseEnum<T>(string name)
        where T : struct, Enum =>
        name == "UNSPECIFIED" ? default : EnumNames.TryParse<T>(name, out var value) ? value : throw new InvalidDataException($"'{name}' is not a {typeof(T).Name}");

    private static string[] Strings(JsonObject obj, string name) =>
        [.. ArrayMember(obj, name).Select(n => n?.GetValue<string>() ?? throw new InvalidDataException($"an item of '{name}' is null"))];

    private static T[] Items<T>(JsonObject obj, string name, Func<JsonObject, T> read) =>
        [.. ArrayMember(obj, name).Select(n => n is JsonObject item ? read(item) : throw new InvalidDataException($"an item of '{name}' is not an object"))];

    private static JsonArray ArrayMember(JsonObject obj, string name) =>
        Member(obj, name) as JsonArray ?? throw new InvalidDataException($"member '{name}' is not an array");
}
