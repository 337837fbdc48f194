using SafetyCheck.Core.Domain;
using SafetyCheck.Core.Evaluation;

namespace SafetyCheck.Core.Audit;

/// <summary>Lists how a replayed assessment differs from a recorded decision: verdict, precautions, benefits, rule results.</summary>
internal static class ReplayComparer
{
    public static List<ReplayDifference> Differences(DecisionRecordDraft recorded, Assessment replayed)
    {
        var differences = new List<ReplayDifference>();
        if (recorded.Verdict != replayed.Suitability)
        {
            differences.Add(new ReplayDifference("verdict", EnumNames.Of(recorded.Verdict), EnumNames.Of(replayed.Suitability)));
        }

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

        var benefitsBefore = recorded.Benefits.ToHashSet(StringComparer.Ordinal);
        var benefitsAfter = replayed.Benefits.Select(b => b.RuleId).ToHashSet(StringComparer.Ordinal);
        foreach (var id in benefitsBefore.Union(benefitsAfter).Order(StringComparer.Ordinal))
        {
            var was = benefitsBefore.Contains(id);
            if (was != benefitsAfter.Contains(id))
            {
                differences.Add(new ReplayDifference($"benefits[{id}]", was ? "present" : ReplayDifference.Absent, was ? ReplayDifference.Absent : "present"));
            }
        }

        var rulesBefore = recorded.Rules.ToDictionary(r => r.RuleId, Result, StringComparer.Ordinal);
        var rulesAfter = replayed.Trace.ToDictionary(r => r.RuleId, Result, StringComparer.Ordinal);
        foreach (var id in rulesBefore.Keys.Union(rulesAfter.Keys).Order(StringComparer.Ordinal))
        {
            Add(
                differences,
                $"rules[{id}]",
                rulesBefore.TryGetValue(id, out var then) ? then : ReplayDifference.Absent,
                rulesAfter.TryGetValue(id, out var now) ? now : ReplayDifference.Absent);
        }

        return differences;
    }

    private static void Add(List<ReplayDifference> differences, string field, string recorded, string replayed)
    {
        if (!string.Equals(recorded, replayed, StringComparison.Ordinal))
        {
            differences.Add(new ReplayDifference(field, recorded, replayed));
        }
    }

    private static string Result(RuleOutcome outcome) => outcome.Errored ? "errored" : outcome.Fired ? "fired" : "not_fired";

    private static string Bool(bool value) => value ? "true" : "false";

    private static string Areas(IEnumerable<BodyArea> areas) => string.Join(" ", areas.Select(EnumNames.Of));
}
