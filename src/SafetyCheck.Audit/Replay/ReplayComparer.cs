using SafetyCheck.Audit.Records;
using SafetyCheck.Core.Domain;
using SafetyCheck.Core.Evaluation;
using SafetyCheck.Core.Rules;

namespace SafetyCheck.Audit.Replay;

/// <summary>Lists how a replayed assessment differs from a recorded decision: verdict, precautions, benefits, rule results.</summary>
internal static class ReplayComparer
{
    /// <summary>Field of the difference reported when the results digests differ.</summary>
    public const string DigestField = "results_digest";

    /// <summary>Every difference from a full recorded result (a v1 record, or a v2 record its own revision reproduced).</summary>
    public static List<ReplayDifference> Differences(Suitability recordedVerdict, DecisionResult recorded, Assessment replayed)
    {
        var differences = new List<ReplayDifference>();
        AddVerdict(differences, recordedVerdict, replayed);
        var before = recorded.Precautions.ToDictionary(p => p.RuleId, StringComparer.Ordinal);
        var after = replayed.Precautions.ToDictionary(p => p.RuleId, StringComparer.Ordinal);
        foreach (var id in before.Keys.Union(after.Keys).Order(StringComparer.Ordinal))
        {
            var field = $"precautions[{id}]";
            if (!after.TryGetValue(id, out var now))
            {
                differences.Add(new ReplayDifference(field, EnumNames.Of(before[id].Outcome), ReplayDifference.Absent));
            }
            else if (!before.TryGetValue(id, out var then))
            {
                differences.Add(new ReplayDifference(field, ReplayDifference.Absent, EnumNames.Of(now.Outcome)));
            }
            else
            {
                Add(differences, field + ".outcome", EnumNames.Of(then.Outcome), EnumNames.Of(now.Outcome));
                Add(differences, field + ".severity", EnumNames.Of(then.Severity), EnumNames.Of(now.Severity));
                Add(differences, field + ".plan_conflict", Bool(then.PlanConflict), Bool(now.PlanConflict));
                Add(differences, field + ".avoid_areas", Areas(then.AvoidAreas), Areas(now.AvoidAreas));
                Add(differences, field + ".max_pressure", EnumNames.Of(then.MaxPressure), EnumNames.Of(now.MaxPressure));
                Add(differences, field + ".triggered_by", string.Join(" ", then.TriggeredBy), string.Join(" ", now.TriggeredBy));
            }
        }

        AddBenefits(differences, recorded.Benefits, replayed);
        AddRules(differences, recorded.Rules, replayed);
        return differences;
    }

    /// <summary>
    /// Every difference from what a v2 record spells out: verdict, which precautions (and plan conflicts) and benefit
    /// notes, each rule's result as the ids imply it over <paramref name="recordedRules"/> (errored when listed in
    /// errors, fired when it produced a precaution or note, else not fired), and the results digest.
    /// </summary>
    public static List<ReplayDifference> CompactDifferences(DecisionRecordDraft recorded, IReadOnlyList<RuleDefinition> recordedRules, Assessment replayed)
    {
        var differences = new List<ReplayDifference>();
        AddVerdict(differences, recorded.Verdict, replayed);
        var conflicts = recorded.PlanConflicts.ToHashSet(StringComparer.Ordinal);
        var before = recorded.Precautions.ToHashSet(StringComparer.Ordinal);
        var after = replayed.Precautions.ToDictionary(p => p.RuleId, StringComparer.Ordinal);
        foreach (var id in before.Union(after.Keys).Order(StringComparer.Ordinal))
        {
            var field = $"precautions[{id}]";
            if (!after.TryGetValue(id, out var now))
            {
                differences.Add(new ReplayDifference(field, "present", ReplayDifference.Absent));
            }
            else if (!before.Contains(id))
            {
                differences.Add(new ReplayDifference(field, ReplayDifference.Absent, EnumNames.Of(now.Outcome)));
            }
            else
            {
                Add(differences, field + ".plan_conflict", Bool(conflicts.Contains(id)), Bool(now.PlanConflict));
            }
        }

        AddBenefits(differences, recorded.Benefits, replayed);
        AddRules(differences, ImpliedTrace(recorded, recordedRules), replayed);
        Add(differences, DigestField, recorded.ResultsDigest, ResultsDigest.Of(replayed));
        return differences;
    }

    /// <summary>The rule results a v2 record implies over its revision's rules.</summary>
    private static List<RuleOutcome> ImpliedTrace(DecisionRecordDraft recorded, IReadOnlyList<RuleDefinition> rules)
    {
        var errors = recorded.Errors.ToDictionary(e => e.RuleId, e => e.Error, StringComparer.Ordinal);
        var fired = recorded.Precautions.Concat(recorded.Benefits).ToHashSet(StringComparer.Ordinal);
        return [.. rules.Select(r => errors.TryGetValue(r.RuleId, out var error)
            ? new RuleOutcome(r.RuleId, false, error ?? "")
            : new RuleOutcome(r.RuleId, fired.Contains(r.RuleId), null))];
    }

    private static void AddVerdict(List<ReplayDifference> differences, Suitability recorded, Assessment replayed) =>
        Add(differences, "verdict", EnumNames.Of(recorded), EnumNames.Of(replayed.Suitability));

    private static void AddBenefits(List<ReplayDifference> differences, IReadOnlyList<string> recorded, Assessment replayed)
    {
        var benefitsBefore = recorded.ToHashSet(StringComparer.Ordinal);
        var benefitsAfter = replayed.Benefits.Select(b => b.RuleId).ToHashSet(StringComparer.Ordinal);
        foreach (var id in benefitsBefore.Union(benefitsAfter).Order(StringComparer.Ordinal))
        {
            var was = benefitsBefore.Contains(id);
            if (was != benefitsAfter.Contains(id))
            {
                differences.Add(new ReplayDifference($"benefits[{id}]", was ? "present" : ReplayDifference.Absent, was ? ReplayDifference.Absent : "present"));
            }
        }
    }

    private static void AddRules(List<ReplayDifference> differences, IReadOnlyList<RuleOutcome> recorded, Assessment replayed)
    {
        var rulesBefore = recorded.ToDictionary(r => r.RuleId, ResultsDigest.ResultName, StringComparer.Ordinal);
        var rulesAfter = replayed.Trace.ToDictionary(r => r.RuleId, ResultsDigest.ResultName, StringComparer.Ordinal);
        foreach (var id in rulesBefore.Keys.Union(rulesAfter.Keys).Order(StringComparer.Ordinal))
        {
            Add(
                differences,
                $"rules[{id}]",
                rulesBefore.TryGetValue(id, out var then) ? then : ReplayDifference.Absent,
                rulesAfter.TryGetValue(id, out var now) ? now : ReplayDifference.Absent);
        }
    }

    private static void Add(List<ReplayDifference> differences, string field, string recorded, string replayed)
    {
        if (!string.Equals(recorded, replayed, StringComparison.Ordinal))
        {
            differences.Add(new ReplayDifference(field, recorded, replayed));
        }
    }

    private static string Bool(bool value) => value ? "true" : "false";

    private static string Areas(IEnumerable<BodyArea> areas) => string.Join(" ", areas.Select(EnumNames.Of));
}
