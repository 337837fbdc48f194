using System.Numerics;
using SafetyCheck.Core.Domain;
using SafetyCheck.Core.Facts;
using SafetyCheck.Core.Rules;

namespace SafetyCheck.Core.Evaluation;

/// <summary>
/// Combines rule results into an assessment (design.md, "Combining outcomes"): the verdict is the most restrictive
/// outcome (NOT_SUITABLE &gt; CLINICIAN_REVIEW_REQUIRED &gt; SUITABLE_WITH_PRECAUTIONS &gt; SUITABLE); a plan that includes an
/// avoided area (WHOLE_BODY includes every area) or exceeds a pressure limit raises the precaution to its conflict outcome; a rule that
/// errored and an unrecognised ACTIVE code each force review. Knows no condition by name.
/// </summary>
internal static class OutcomeCombiner
{
    /// <summary>Rule id of the synthetic precaution for unrecognised ACTIVE codes.</summary>
    public const string UnrecognizedActiveRuleId = "unrecognized-condition";

    /// <summary>Rule id of the INFO precaution listing unrecognised RESOLVED codes.</summary>
    public const string UnrecognizedResolvedRuleId = "unrecognized-resolved-condition";

    /// <summary>The response's order of precautions: most restrictive outcome first, then severity, then rule id (ordinal).</summary>
    private static readonly Comparison<PrecautionResult> PrecautionOrder = static (x, y) =>
        x.Outcome != y.Outcome ? ((int)y.Outcome).CompareTo((int)x.Outcome)
        : x.Severity != y.Severity ? ((int)y.Severity).CompareTo((int)x.Severity)
        : string.CompareOrdinal(x.RuleId, y.RuleId);

    /// <summary>
    /// Combines the rule results <paramref name="trace"/> for a child described only by derived facts, so that an
    /// audited decision (which keeps no birth date) can be replayed. Allocates the assessment, its two lists and the
    /// precautions that depend on the request; notes and fact-triggered precautions are the revision's own values.
    /// </summary>
    public static Assessment Combine(RuleSet ruleSet, EvaluationInput input, RuleTrace trace)
    {
        var rules = ruleSet.Compiled;
        var facts = input.Facts;
        var fired = trace.FiredBits;
        var precautionCount = trace.ErrorCount;
        var benefitCount = 0;
        for (var w = 0; w < fired.Length; w++)
        {
            for (var bits = fired[w]; bits != 0; bits &= bits - 1)
            {
                if (rules[(w << 6) | BitOperations.TrailingZeroCount(bits)].Benefit is null)
                {
                    precautionCount++;
                }
                else
                {
                    benefitCount++;
                }
            }
        }

        var (active, resolved) = CountUnrecognized(input.Unrecognized);
        precautionCount += (active > 0 ? 1 : 0) + (resolved > 0 ? 1 : 0);

        var precautions = precautionCount == 0 ? [] : new PrecautionResult[precautionCount];
        var benefits = benefitCount == 0 ? [] : new BenefitNote[benefitCount];
        var p = 0;
        var b = 0;
        for (var w = 0; w < fired.Length; w++)
        {
            for (var bits = fired[w]; bits != 0; bits &= bits - 1)
            {
                var rule = rules[(w << 6) | BitOperations.TrailingZeroCount(bits)];
                if (rule.Benefit is { } note)
                {
                    benefits[b++] = note;
                }
                else
                {
                    precautions[p++] = Fired(rule, facts);
                }
            }
        }

        for (var k = 0; k < trace.ErrorCount; k++)
        {
            var (index, outcome) = trace.Error(k);
            precautions[p++] = ErroredRule(rules[index].Definition, outcome.Error!);
        }

        if (active > 0)
        {
            precautions[p++] = UnrecognizedActive(ruleSet, input.Unrecognized, active);
        }

        if (resolved > 0)
        {
            precautions[p++] = UnrecognizedResolved(ruleSet, input.Unrecognized, resolved);
        }

        // Most restrictive outcome first, then severity, then rule id: a total order (ids are unique), so any sort agrees.
        precautions.AsSpan().Sort(PrecautionOrder);
        var suitability = Suitability.Suitable;
        foreach (var precaution in precautions)
        {
            suitability = Max(suitability, precaution.Outcome);
        }

        return new Assessment
        {
            RequestId = input.RequestId,
            PatientRef = input.PatientRef,
            TimeZoneId = input.TimeZoneId,
            Suitability = suitability,
            Precautions = precautions,
            Benefits = benefits,
            Unrecognized = input.Unrecognized,
            Facts = facts,
            Ruleset = ruleSet.Identity,
            AsOf = input.AsOf,
            Trace = trace,
        };
    }

    /// <summary>
    /// The precaution of a fired rule. The declared conditions the child has trigger it: every one when all are ACTIVE;
    /// when some are RESOLVED, those that fire the rule (<see cref="Triggering"/>), so that a record inside a window
    /// counts and one the rule did not read does not. Its avoid areas are its own plus, with <c>avoidConditionSite</c>,
    /// the triggering conditions' sites; a plan that touches an avoided area (WHOLE_BODY touches every area, as
    /// <see cref="ChildFacts.PlansArea"/> reads it) or exceeds the pressure limit raises it to its conflict outcome.
    /// </summary>
    private static PrecautionResult Fired(CompiledRule rule, ChildFacts facts)
    {
        var definition = rule.Definition;
        var conditions = facts.ConditionSpan;
        Span<int> matching = conditions.Length <= 128 ? stackalloc int[conditions.Length] : new int[conditions.Length];
        var matched = 0;
        var anyResolved = false;
        for (var i = 0; i < conditions.Length; i++)
        {
            if (Declares(definition, conditions[i].Id))
            {
                matching[matched++] = i;
                anyResolved |= conditions[i].Status == ConditionStatus.Resolved;
            }
        }

        var triggering = anyResolved ? Triggering(rule, facts, matching[..matched]) : null;
        if (matched == 0 || triggering is { Count: 0 })
        {
            return Conflicts(rule, rule.AvoidAreas, facts) ? rule.UnconditionedConflict : rule.Unconditioned;
        }

        // References distinct, in request order.
        var references = new string[matched];
        var count = 0;
        var avoid = rule.AvoidAreas;
        foreach (var i in matching[..matched])
        {
            var condition = conditions[i];
            if (triggering is not null && !triggering.Contains(i))
            {
                continue;
            }

            if (!HasReference(references.AsSpan(0, count), condition))
            {
                references[count++] = condition.Reference;
            }

            if (definition.AvoidConditionSite && condition.BodySite is { } site && Array.IndexOf(avoid, site) < 0)
            {
                avoid = WithArea(avoid, site);
            }
        }

        if (count < references.Length)
        {
            Array.Resize(ref references, count);
        }

        return rule.Precaution(Conflicts(rule, avoid, facts), avoid, references);
    }

    /// <summary>
    /// Which of the declared conditions at <paramref name="matching"/> (indexes into the child's conditions, some of
    /// them RESOLVED) fired <paramref name="rule"/>. The rule is asked again over the child's facts without any of
    /// them. When it still fires, the facts fired it, with the ACTIVE ones (a RESOLVED record is read only by a window,
    /// which the facts already satisfy). Otherwise each one is tried alone: those that fire the rule by themselves
    /// trigger it (a RESOLVED record inside its window does, an ACTIVE one past it does not); when none does, the rule
    /// needs several together, and every one is taken. Asked only when a RESOLVED one is among them, which is rare.
    /// </summary>
    private static HashSet<int> Triggering(CompiledRule rule, ChildFacts facts, ReadOnlySpan<int> matching)
    {
        var conditions = facts.ConditionSpan;
        var others = new List<FactCondition>(conditions.Length);
        var declared = new HashSet<int>(matching.ToArray());
        for (var i = 0; i < conditions.Length; i++)
        {
            if (!declared.Contains(i))
            {
                others.Add(conditions[i]);
            }
        }

        var triggering = new HashSet<int>();
        if (Fires(rule, facts with { Conditions = [.. others] }))
        {
            foreach (var i in matching)
            {
                if (conditions[i].Status != ConditionStatus.Resolved)
                {
                    triggering.Add(i);
                }
            }

            return triggering;
        }

        foreach (var i in matching)
        {
            if (Fires(rule, facts with { Conditions = [.. others, conditions[i]] }))
            {
                triggering.Add(i);
            }
        }

        return triggering.Count > 0 ? triggering : declared;
    }

    /// <summary>The rule's answer over <paramref name="facts"/>; an expression that throws counts as firing, as it would fail closed.</summary>
    private static bool Fires(CompiledRule rule, ChildFacts facts)
    {
        try
        {
            return rule.Predicate(facts);
        }
#pragma warning disable CA1031 // The rule already fired over the whole request; here only which records made it fire is asked.
        catch (Exception)
#pragma warning restore CA1031
        {
            return true;
        }
    }

    private static bool Declares(RuleDefinition rule, string conditionId)
    {
        var ids = rule.ConditionIds;
        for (var i = 0; i < ids.Count; i++)
        {
            if (string.Equals(ids[i], conditionId, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>True when <paramref name="references"/> holds <c>system|code</c> of <paramref name="condition"/> (without building it).</summary>
    private static bool HasReference(ReadOnlySpan<string> references, FactCondition condition)
    {
        var system = condition.System;
        foreach (var reference in references)
        {
            if (reference.Length == system.Length + 1 + condition.Code.Length && reference[system.Length] == '|'
                && reference.AsSpan(0, system.Length).SequenceEqual(system)
                && reference.AsSpan(system.Length + 1).SequenceEqual(condition.Code))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary><paramref name="areas"/> (distinct, enum order) with <paramref name="area"/> added in its place.</summary>
    private static BodyArea[] WithArea(BodyArea[] areas, BodyArea area)
    {
        var result = new BodyArea[areas.Length + 1];
        var i = 0;
        for (; i < areas.Length && areas[i] < area; i++)
        {
            result[i] = areas[i];
        }

        result[i] = area;
        Array.Copy(areas, i, result, i + 1, areas.Length - i);
        return result;
    }

    /// <summary>True when the plan touches an avoided area or exceeds the rule's pressure limit.</summary>
    private static bool Conflicts(CompiledRule rule, BodyArea[] avoid, ChildFacts facts)
    {
        var limit = rule.Definition.MaxPressure;
        if (limit != Pressure.Unspecified && facts.PlannedPressureValue > limit)
        {
            return true;
        }

        foreach (var area in avoid)
        {
            if (ChildFacts.PlanTouches(facts.PlannedAreas, area))
            {
                return true;
            }
        }

        return false;
    }

    private static PrecautionResult ErroredRule(RuleDefinition rule, string error) => new()
    {
        RuleId = rule.RuleId,
        Outcome = Suitability.ClinicianReviewRequired,
        Severity = Severity.Warning,
        Summary = "A safety rule could not be evaluated; a clinician must review this session.",
        Detail = $"Rule '{rule.RuleId}' ({rule.File}:{rule.Line}) failed while evaluating this request, so its answer is unknown. " +
                 $"Review the child against it by hand: {rule.Summary} Error: {error}",
        AvoidAreas = rule.AvoidAreas,
        MaxPressure = rule.MaxPressure,
        PlanConflict = false,
        Evidence = rule.Evidence,
        TriggeredBy = [],
    };

    private static (int Active, int Resolved) CountUnrecognized(IReadOnlyList<CodeReference> unrecognized)
    {
        var resolved = 0;
        for (var i = 0; i < unrecognized.Count; i++)
        {
            resolved += unrecognized[i].Status == ConditionStatus.Resolved ? 1 : 0;
        }

        return (unrecognized.Count - resolved, resolved);
    }

    private static PrecautionResult UnrecognizedActive(RuleSet ruleSet, IReadOnlyList<CodeReference> unrecognized, int count)
    {
        var active = Select(unrecognized, resolved: false, count);
        return new PrecautionResult
        {
            RuleId = UnrecognizedActiveRuleId,
            Outcome = Suitability.ClinicianReviewRequired,
            Severity = Severity.Warning,
            Summary = Shorten($"Unrecognised active condition code: {CodeList(active)}. A clinician must review."),
            Detail = $"SafetyCheck's catalog does not know {CodeList(active)}, so no rule could judge it. " +
                     "A clinician must decide whether massage is safe; ask for the catalog to be extended if the code is common.",
            AvoidAreas = [],
            MaxPressure = Pressure.Unspecified,
            PlanConflict = false,
            Evidence = ruleSet.ReviewEvidence,
            TriggeredBy = References(active),
        };
    }

    private static PrecautionResult UnrecognizedResolved(RuleSet ruleSet, IReadOnlyList<CodeReference> unrecognized, int count)
    {
        var resolved = Select(unrecognized, resolved: true, count);
        return new PrecautionResult
        {
            RuleId = UnrecognizedResolvedRuleId,
            Outcome = Suitability.Suitable,
            Severity = Severity.Info,
            Summary = Shorten($"Unrecognised resolved condition code: {CodeList(resolved)}."),
            Detail = "These resolved conditions are not in SafetyCheck's catalog; they do not change the verdict. Check the history if in doubt.",
            AvoidAreas = [],
            MaxPressure = Pressure.Unspecified,
            PlanConflict = false,
            Evidence = ruleSet.ReviewEvidence,
            TriggeredBy = References(resolved),
        };
    }

    /// <summary>The <paramref name="count"/> codes that are resolved (or not), in request order.</summary>
    private static CodeReference[] Select(IReadOnlyList<CodeReference> codes, bool resolved, int count)
    {
        var selected = new CodeReference[count];
        var next = 0;
        for (var i = 0; i < codes.Count; i++)
        {
            if ((codes[i].Status == ConditionStatus.Resolved) == resolved)
            {
                selected[next++] = codes[i];
            }
        }

        return selected;
    }

    private static string[] References(CodeReference[] codes)
    {
        var references = new string[codes.Length];
        for (var i = 0; i < codes.Length; i++)
        {
            references[i] = codes[i].System + "|" + codes[i].Code;
        }

        return references;
    }

    /// <summary>The codes, each once, in request order, comma-separated.</summary>
    private static string CodeList(CodeReference[] codes)
    {
        var distinct = new List<string>(codes.Length);
        foreach (var code in codes)
        {
            if (!distinct.Contains(code.Code))
            {
                distinct.Add(code.Code);
            }
        }

        return string.Join(", ", distinct);
    }

    private static string Shorten(string summary) => summary.Length <= 140 ? summary : summary[..137] + "...";

    private static Suitability Max(Suitability a, Suitability b) => a > b ? a : b;
}
