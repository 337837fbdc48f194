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

    /// <summary>
    /// Combines <paramref name="outcomes"/> for a child described only by derived facts, so that an audited decision
    /// (which keeps no birth date) can be replayed.
    /// </summary>
    public static Assessment Combine(RuleSet ruleSet, EvaluationInput input, IReadOnlyList<RuleOutcome> outcomes)
    {
        var precautions = new List<PrecautionResult>();
        var benefits = new List<BenefitNote>();
        var rulesById = ruleSet.Rules.ToDictionary(r => r.RuleId, StringComparer.Ordinal);
        foreach (var outcome in outcomes)
        {
            var rule = rulesById[outcome.RuleId];
            if (outcome.Error is { } error)
            {
                precautions.Add(ErroredRule(rule, error));
            }
            else if (outcome.Fired && rule.Kind == RuleKind.Benefit)
            {
                benefits.Add(new BenefitNote(rule.RuleId, rule.Topic, rule.Summary, rule.Evidence));
            }
            else if (outcome.Fired)
            {
                precautions.Add(Fired(rule, input.Facts));
            }
        }

        AddUnrecognized(ruleSet, input.Unrecognized, precautions);
        var ordered = precautions
            .OrderByDescending(p => p.Outcome)
            .ThenByDescending(p => p.Severity)
            .ThenBy(p => p.RuleId, StringComparer.Ordinal)
            .ToArray();
        return new Assessment
        {
            RequestId = input.RequestId,
            PatientRef = input.PatientRef,
            TimeZoneId = input.TimeZoneId,
            Suitability = ordered.Length == 0 ? Suitability.Suitable : (Suitability)Math.Max((int)Suitability.Suitable, (int)ordered.Max(p => p.Outcome)),
            Precautions = ordered,
            Benefits = benefits,
            Unrecognized = input.Unrecognized,
            Facts = input.Facts,
            Ruleset = ruleSet.Identity,
            AsOf = input.AsOf,
            Trace = outcomes,
        };
    }

    private static PrecautionResult Fired(RuleDefinition rule, ChildFactsData facts)
    {
        var matching = facts.Conditions.Where(c => rule.ConditionIds.Contains(c.Id, StringComparer.Ordinal)).ToList();
        var triggering = matching.Where(c => c.Status != ConditionStatus.Resolved).ToList();
        if (triggering.Count == 0)
        {
            triggering = matching;
        }

        var avoid = new SortedSet<BodyArea>(rule.AvoidAreas);
        if (rule.AvoidConditionSite)
        {
            foreach (var site in triggering.Select(c => c.BodySite).OfType<BodyArea>())
            {
                avoid.Add(site);
            }
        }

        // A planned WHOLE_BODY includes every area, so it conflicts with any avoided area (ChildFacts.PlansArea agrees).
        var conflict = avoid.Any(a => ChildFacts.PlanTouches(facts.PlannedAreas, a))
            || (rule.MaxPressure != Pressure.Unspecified && facts.PlannedPressure > rule.MaxPressure);
        var triggeredBy = triggering.Count > 0
            ? triggering.Select(c => c.Reference).Distinct(StringComparer.Ordinal).ToArray()
            : rule.FactNames.Select(f => "child." + f).ToArray();
        return new PrecautionResult
        {
            RuleId = rule.RuleId,
            Outcome = conflict ? Max(rule.Outcome, rule.ConflictOutcome) : rule.Outcome,
            Severity = rule.Severity,
            Summary = rule.Summary,
            Detail = rule.Detail,
            AvoidAreas = [.. avoid],
            MaxPressure = rule.MaxPressure,
            PlanConflict = conflict,
            Evidence = rule.Evidence,
            TriggeredBy = triggeredBy,
        };
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

    private static void AddUnrecognized(RuleSet ruleSet, IReadOnlyList<CodeReference> unrecognized, List<PrecautionResult> precautions)
    {
        var active = unrecognized.Where(c => c.Status != ConditionStatus.Resolved).ToList();
        var resolved = unrecognized.Where(c => c.Status == ConditionStatus.Resolved).ToList();
        if (active.Count > 0)
        {
            precautions.Add(new PrecautionResult
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
                TriggeredBy = active.Select(c => c.System + "|" + c.Code).ToArray(),
            });
        }

        if (resolved.Count > 0)
        {
            precautions.Add(new PrecautionResult
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
                TriggeredBy = resolved.Select(c => c.System + "|" + c.Code).ToArray(),
            });
        }
    }

    private static string CodeList(IEnumerable<CodeReference> conditions) => string.Join(", ", conditions.Select(c => c.Code).Distinct(StringComparer.Ordinal));

    private static string Shorten(string summary) => summary.Length <= 140 ? summary : summary[..137] + "...";

    private static Suitability Max(Suitability a, Suitability b) => a > b ? a : b;
}
