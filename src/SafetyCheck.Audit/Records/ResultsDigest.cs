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
        return Compute(
            assessment.Benefits,
            static b => b.RuleId,
            assessment.Precautions,
            static p => new RecordedPrecaution(p.RuleId, p.Outcome, p.Severity, p.PlanConflict, p.AvoidAreas, p.MaxPressure, p.TriggeredBy),
            assessment.Trace);
    }

    /// <summary>The digest of <paramref name="result"/>.</summary>
    public static string Of(DecisionResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        return Compute(
            result.Benefits,
            static b => b,
            result.Precautions,
            static p => p,
            result.Rules);
    }

    /// <summary>A rule's result as records and differences name it: <c>fired</c>, <c>not_fired</c> or <c>errored</c>.</summary>
    public static string ResultName(RuleOutcome outcome)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        return outcome.Errored ? "errored" : outcome.Fired ? "fired" : "not_fired";
    }

    // Generic over the two shapes of a result so that neither is copied into the other on the hot path.
    private static string Compute<TBenefit, TPrecaution>(
        IReadOnlyList<TBenefit> benefits,
        Func<TBenefit, string> benefitId,
        IReadOnlyList<TPrecaution> precautions,
        Func<TPrecaution, RecordedPrecaution> detail,
        IReadOnlyList<RuleOutcome> rules)
    {
        using var w = new CanonicalJsonWriter();
        w.WriteStartObject();
        w.WritePropertyName("benefits");
        w.WriteStartArray();
        for (var i = 0; i < benefits.Count; i++)
        {
            w.WriteStringValue(benefitId(benefits[i]));
        }

        w.WriteEndArray();
        w.WritePropertyName("precautions");
        w.WriteStartArray();
        for (var i = 0; i < precautions.Count; i++)
        {
            WritePrecaution(w, detail(precautions[i]));
        }

        w.WriteEndArray();
        WriteRules(w, rules);
        w.WriteEndObject();
        return w.Sha256Hex();
    }

    private static void WritePrecaution(CanonicalJsonWriter w, RecordedPrecaution p)
    {
        w.WriteStartObject();
        w.WritePropertyName("avoid_areas");
        w.WriteStartArray();
        for (var i = 0; i < p.AvoidAreas.Count; i++)
        {
            var area = p.AvoidAreas[i];
            w.WriteStringValue(EnumNames.Of(area));
        }

        w.WriteEndArray();
        w.WriteString("max_pressure", EnumNames.Of(p.MaxPressure));
        w.WriteString("outcome", EnumNames.Of(p.Outcome));
        w.WritePropertyName("plan_conflict");
        w.WriteBooleanValue(p.PlanConflict);
        w.WriteString("rule_id", p.RuleId);
        w.WriteString("severity", EnumNames.Of(p.Severity));
        w.WritePropertyName("triggered_by");
        w.WriteStartArray();
        for (var i = 0; i < p.TriggeredBy.Count; i++)
        {
            var trigger = p.TriggeredBy[i];
            w.WriteStringValue(trigger);
        }

        w.WriteEndArray();
        w.WriteEndObject();
    }

    private static void WriteRules(CanonicalJsonWriter w, IReadOnlyList<RuleOutcome> rules)
    {
        w.WritePropertyName("rules");
        w.WriteStartArray();
        for (var i = 0; i < rules.Count; i++)
        {
            w.WriteStartArray();
            w.WriteStringValue(rules[i].RuleId);
            w.WriteStringValue(ResultName(rules[i]));
            w.WriteEndArray();
        }

        w.WriteEndArray();
    }
}
