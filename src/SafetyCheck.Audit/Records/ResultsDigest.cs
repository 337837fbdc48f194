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
    /// <summary>
    /// The <c>[rule id, result]</c> pairs of the revision digested last, as canonical bytes by rule position (see
    /// <see cref="RuleFragments"/>). Replaced, never changed, when another revision comes; a stale read only misses.
    /// </summary>
    private static volatile RuleFragments? _fragments;

    /// <summary>The digest of what <paramref name="assessment"/> decided.</summary>
    public static string Of(Assessment assessment)
    {
        ArgumentNullException.ThrowIfNull(assessment);
        return Compute(
            assessment.Benefits,
            static b => b.RuleId,
            assessment.Precautions,
            static p => new RecordedPrecaution(p.RuleId, p.Outcome, p.Severity, p.PlanConflict, p.AvoidAreas, p.MaxPressure, p.TriggeredBy),
            assessment.Trace,
            FragmentsOf(assessment));
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
            result.Rules,
            null);
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
        IReadOnlyList<RuleOutcome> rules,
        RuleFragments? fragments)
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
        WriteRules(w, rules, fragments);
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

    private static void WriteRules(CanonicalJsonWriter w, IReadOnlyList<RuleOutcome> rules, RuleFragments? fragments)
    {
        w.WritePropertyName("rules");
        w.WriteStartArray();
        for (var i = 0; i < rules.Count; i++)
        {
            var rule = rules[i];
            if (fragments?.Of(i, rule) is { } fragment)
            {
                w.WriteCanonicalValue(fragment);
            }
            else
            {
                WriteRule(w, rule);
            }
        }

        w.WriteEndArray();
    }

    private static void WriteRule(CanonicalJsonWriter w, RuleOutcome rule)
    {
        w.WriteStartArray();
        w.WriteStringValue(rule.RuleId);
        w.WriteStringValue(ResultName(rule));
        w.WriteEndArray();
    }

    /// <summary>The fragments of the revision of <paramref name="assessment"/>: the last revision's, or new ones.</summary>
    private static RuleFragments FragmentsOf(Assessment assessment)
    {
        var fragments = _fragments;
        if (fragments is null || fragments.Count != assessment.Trace.Count
            || !string.Equals(fragments.Revision, assessment.Ruleset.Revision, StringComparison.Ordinal))
        {
            fragments = new RuleFragments(assessment.Ruleset.Revision, assessment.Trace.Count);
            _fragments = fragments;
        }

        return fragments;
    }

    /// <summary>
    /// The canonical bytes of <c>[rule id, "fired" | "not_fired"]</c> for each rule position of one revision, made the
    /// first time each is needed by the slow writer itself, so the digest's bytes cannot differ. A revision's trace
    /// hands out one shared outcome value per rule and result, so an entry is found by reference: an outcome that is
    /// not the one an entry was made from (an errored rule, another revision's rules) is written the slow way.
    /// Thread-safe: entries are immutable, and two threads making the same entry make equal ones.
    /// </summary>
    private sealed class RuleFragments(string revision, int count)
    {
        private readonly Fragment?[] _notFired = new Fragment?[count];
        private readonly Fragment?[] _fired = new Fragment?[count];

        public string Revision { get; } = revision;

        public int Count => _notFired.Length;

        /// <summary>The bytes of <paramref name="outcome"/> at <paramref name="index"/>; null when it has none (errored).</summary>
        public byte[]? Of(int index, RuleOutcome outcome)
        {
            if (outcome.Errored || (uint)index >= (uint)_notFired.Length)
            {
                return null;
            }

            var slots = outcome.Fired ? _fired : _notFired;
            var fragment = slots[index];
            if (fragment is null || !ReferenceEquals(fragment.Outcome, outcome))
            {
                using var w = new CanonicalJsonWriter();
                WriteRule(w, outcome);
                fragment = new Fragment(outcome, w.WrittenSpan.ToArray());
                slots[index] = fragment;
            }

            return fragment.Bytes;
        }
    }

    private sealed record Fragment(RuleOutcome Outcome, byte[] Bytes);
}
