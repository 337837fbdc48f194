using SafetyCheck.Audit.Json;
using SafetyCheck.Core.Domain;
using SafetyCheck.Core.Evaluation;

namespace SafetyCheck.Audit.Records;

/// <summary>
/// The <c>results_digest</c> of a v2 record: lowercase hex SHA-256 of the canonical JSON
/// <code>
/// {"benefits":[rule id, …],
///  "precautions":[{"avoid_areas":[…],"max_pressure":…,"outcome":…,"plan_conflict":…,"rule_id":…,"severity":…,"triggered_by":[…]}, …],
///  "rules":[[rule id, "fired" | "not_fired" | "errored"], …]}
/// </code>
/// with precautions and benefits in response order and rules in rule order; enum values by their contract names. It
/// stands for everything the record does not spell out — every rule's result and each precaution's details — so replay
/// can show that the archived revision reproduces them exactly. Error messages are not in it (the record lists them).
/// </summary>
public static class ResultsDigest
{
    /// <summary>The digest of what <paramref name="assessment"/> decided.</summary>
    public static string Of(Assessment assessment)
    {
        ArgumentNullException.ThrowIfNull(assessment);
        using var w = new CanonicalJsonWriter();
        w.WriteStartObject();
        w.WritePropertyName("benefits");
        w.WriteStartArray();
        foreach (var benefit in assessment.Benefits)
        {
            w.WriteStringValue(benefit.RuleId);
        }

        w.WriteEndArray();
        w.WritePropertyName("precautions");
        w.WriteStartArray();
        foreach (var p in assessment.Precautions)
        {
            WritePrecaution(w, p.RuleId, p.Outcome, p.Severity, p.PlanConflict, p.AvoidAreas, p.MaxPressure, p.TriggeredBy);
        }

        w.WriteEndArray();
        WriteRules(w, assessment.Trace);
        w.WriteEndObject();
        return w.Sha256Hex();
    }

    /// <summary>The digest of <paramref name="result"/>.</summary>
    public static string Of(DecisionResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        using var w = new CanonicalJsonWriter();
        w.WriteStartObject();
        w.WritePropertyName("benefits");
        w.WriteStartArray();
        foreach (var benefit in result.Benefits)
        {
            w.WriteStringValue(benefit);
        }

        w.WriteEndArray();
        w.WritePropertyName("precautions");
        w.WriteStartArray();
        foreach (var p in result.Precautions)
        {
            WritePrecaution(w, p.RuleId, p.Outcome, p.Severity, p.PlanConflict, p.AvoidAreas, p.MaxPressure, p.TriggeredBy);
        }

        w.WriteEndArray();
        WriteRules(w, result.Rules);
        w.WriteEndObject();
        return w.Sha256Hex();
    }

    /// <summary>A rule's result as records and differences name it: <c>fired</c>, <c>not_fired</c> or <c>errored</c>.</summary>
    public static string ResultName(RuleOutcome outcome)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        return outcome.Errored ? "errored" : outcome.Fired ? "fired" : "not_fired";
    }

    private static void WritePrecaution(
        CanonicalJsonWriter w,
        string ruleId,
        Suitability outcome,
        Severity severity,
        bool planConflict,
        IReadOnlyList<BodyArea> avoidAreas,
        Pressure maxPressure,
        IReadOnlyList<string> triggeredBy)
    {
        w.WriteStartObject();
        w.WritePropertyName("avoid_areas");
        w.WriteStartArray();
        foreach (var area in avoidAreas)
        {
            w.WriteStringValue(EnumNames.Of(area));
        }

        w.WriteEndArray();
        w.WriteString("max_pressure", EnumNames.Of(maxPressure));
        w.WriteString("outcome", EnumNames.Of(outcome));
        w.WritePropertyName("plan_conflict");
        w.WriteBooleanValue(planConflict);
        w.WriteString("rule_id", ruleId);
        w.WriteString("severity", EnumNames.Of(severity));
        w.WritePropertyName("triggered_by");
        w.WriteStartArray();
        foreach (var trigger in triggeredBy)
        {
            w.WriteStringValue(trigger);
        }

        w.WriteEndArray();
        w.WriteEndObject();
    }

    private static void WriteRules(CanonicalJsonWriter w, IReadOnlyList<RuleOutcome> rules)
    {
        w.WritePropertyName("rules");
        w.WriteStartArray();
        foreach (var rule in rules)
        {
            w.WriteStartArray();
            w.WriteStringValue(rule.RuleId);
            w.WriteStringValue(ResultName(rule));
            w.WriteEndArray();
        }

        w.WriteEndArray();
    }
}
