using System.Text.Json.Nodes;
using SafetyCheck.Audit.Json;
using SafetyCheck.Core.Domain;
using SafetyCheck.Core.Evaluation;
using SafetyCheck.Core.Rules;
using static SafetyCheck.Audit.Records.JsonMembers;

namespace SafetyCheck.Audit.Records;

/// <summary>
/// Reads records of schema <c>safetycheck.decision/v1</c>, written before the compact record: every fact (unknown ones
/// as <c>null</c>), the rule set's name and version, each precaution's details and every rule's result. They read back
/// as v2 content — the precaution ids, plan conflicts and errors taken from the details, the results digest computed
/// from them — with the details kept in <see cref="DecisionRecord.Legacy"/>. Nothing writes v1 any more.
/// </summary>
internal static class LegacyDecisionJson
{
    public static DecisionRecord Read(JsonObject root, string entryHash)
    {
        var ruleset = Obj(root, "ruleset");
        var patient = Obj(root, "patient");
        var identity = new RulesetIdentity(Str(ruleset, "name"), Str(ruleset, "version"), Str(ruleset, "revision"));
        var precautions = Items(root, "precautions", n => new RecordedPrecaution(
            Str(n, "rule_id"),
            Enum<Suitability>(n, "outcome"),
            Enum<Severity>(n, "severity"),
            Bool(n, "plan_conflict"),
            [.. Strings(n, "avoid_areas").Select(ParseEnum<BodyArea>)],
            Enum<Pressure>(n, "max_pressure"),
            Strings(n, "triggered_by")));
        var result = new DecisionResult(precautions, Strings(root, "benefits"), Items(root, "rules", ReadRuleOutcome));
        var content = new DecisionRecordDraft
        {
            DecisionId = Str(root, "decision_id"),
            RecordedAt = AuditTime.Read(Str(root, "recorded_at")),
            Caller = Str(root, "caller"),
            Revision = identity.Revision,
            EngineVersion = Str(root, "engine"),
            AsOf = AuditTime.Read(Str(root, "as_of")),
            TimeZoneId = Str(root, "time_zone"),
            PatientPseudonym = Str(patient, "pseudonym"),
            PseudonymKeyId = Str(patient, "key_id"),
            Facts = FactsJson.ReadV1(Obj(root, "facts")),
            Unrecognized = Items(root, "unrecognized", n => new CodeReference(Str(n, "system"), Str(n, "code"), Enum<ConditionStatus>(n, "status"))),
            Verdict = Enum<Suitability>(root, "verdict"),
            Precautions = [.. precautions.Select(p => p.RuleId)],
            PlanConflicts = [.. precautions.Where(p => p.PlanConflict).Select(p => p.RuleId)],
            Benefits = result.Benefits,
            Errors = [.. result.Rules.Where(r => r.Errored)],
            ResultsDigest = result.Digest(),
        };
        return new DecisionRecord(Long(root, "sequence"), Str(root, "prev_hash"), entryHash, content)
        {
            Legacy = new LegacyDecisionDetail(identity, result),
        };
    }

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
}
