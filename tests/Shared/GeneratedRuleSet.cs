using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using SafetyCheck.Core.Rules;

namespace SafetyCheck.TestSupport;

/// <summary>
/// A large synthetic rule set for benchmarks and equivalence tests: the shipped revision (manifest, catalog,
/// terminology and rules) plus generated rule files that bring it to a given number of rules. Generated rules look
/// like the shipped ones — most test one or two conditions, some add an age or setting limit, some read facts
/// alone — and use only the shipped catalog ids and policy parameters. Deterministic for the same seed.
/// </summary>
internal static class GeneratedRuleSet
{
    private const string Evidence = """{ "grade": "D", "citations": [ { "title": "Synthetic benchmark source", "year": 2026, "url": "https://example.org/synthetic" } ] }""";

    private static readonly (string Outcome, string Severity)[] Outcomes =
    [
        ("SUITABLE_WITH_PRECAUTIONS", "CAUTION"), ("CLINICIAN_REVIEW_REQUIRED", "WARNING"), ("NOT_SUITABLE", "CRITICAL"), ("SUITABLE", "INFO"),
    ];

    private static readonly string[] Areas = ["HEAD", "FACE", "NECK", "CHEST", "ABDOMEN", "BACK", "ARMS", "LEGS"];

    /// <summary>
    /// The files of the shipped rule set in <paramref name="rulesDirectory"/> plus generated rule files (100 rules
    /// each) so that the rule set holds <paramref name="totalRules"/> rules.
    /// </summary>
    public static IReadOnlyList<RuleSetFile> Files(string rulesDirectory, int totalRules, int seed = 20260302)
    {
        var shipped = RuleSetLoader.ReadFiles(rulesDirectory);
        var catalog = shipped.Single(f => f.Path == RuleSetLoader.CatalogFileName);
        var conditionIds = JsonNode.Parse(catalog.Content)!["conditions"]!.AsArray()
            .Where(c => c!["benign"]?.GetValue<bool>() != true)
            .Select(c => c!["id"]!.GetValue<string>())
            .ToArray();
        var shippedRules = shipped
            .Where(f => IsRuleFile(f.Path))
            .Sum(f => JsonNode.Parse(f.Content)!["Rules"]!.AsArray().Count);

        var random = new Random(seed);
        var files = new List<RuleSetFile>(shipped);
        var generated = totalRules - shippedRules;
        for (var start = 0; start < generated; start += 100)
        {
            var rules = new JsonArray();
            for (var i = start; i < Math.Min(start + 100, generated); i++)
            {
                rules.Add(Rule(random, conditionIds, i));
            }

            var workflow = new JsonObject { ["WorkflowName"] = $"generated-{start / 100:D3}", ["Rules"] = rules };
            var text = workflow.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
            files.Add(new RuleSetFile($"generated/rules-{start / 100:D3}.json", Encoding.UTF8.GetBytes(text)));
        }

        return files;
    }

    private static bool IsRuleFile(string path) =>
        path.EndsWith(".json", StringComparison.Ordinal) && path != "ruleset.json" && path != RuleSetLoader.CatalogFileName
        && !path.StartsWith("terminology/", StringComparison.Ordinal);

    private static JsonObject Rule(Random random, string[] ids, int number)
    {
        var a = ids[random.Next(ids.Length)];
        var b = ids[random.Next(ids.Length)];
        while (b == a)
        {
            b = ids[random.Next(ids.Length)];
        }

        var months = random.Next(1, 36);
        var days = random.Next(7, 400);
        var (expression, conditions) = random.Next(100) switch
        {
            < 40 => ($"child.Has(\"{a}\")", new[] { a }),
            < 50 => ($"child.Has(\"{a}\") || child.Has(\"{b}\")", [a, b]),
            < 57 => ($"child.Has(\"{a}\") && child.InfantAgeMonths < infantAgeMonths", [a]),
            < 61 => ($"child.Has(\"{a}\") && !child.Has(\"{b}\")", [a, b]),
            < 65 => ($"child.HasWithinDays(\"{a}\", recentSurgeryDays) || child.HasUndated(\"{a}\")", [a]),
            < 69 => ($"(child.Has(\"{a}\") || child.Has(\"{b}\")) && (child.Setting == \"NICU\" || child.AgeDays < neonatalPeriodDays)", [a, b]),
            < 72 => ($"child.Has(\"{a}\") || child.HasResolved(\"{b}\")", [a, b]),
            < 76 => ($"child.AgeMonths >= {months} && child.Has(\"{a}\")", [a]),
            < 80 => ($"child.Has(\"{a}\") && child.PlansArea(\"{Areas[random.Next(Areas.Length)]}\")", [a]),
            < 83 => ($"child.Has(\"{a}\") || child.TemperatureCelsius.Below(hypothermiaCelsius)", [a]),
            < 86 => ($"child.TemperatureCelsius.AtLeast(feverThresholdCelsius) && child.AgeMonths < {months}", []),
            < 89 => ($"child.GestationalAgeWeeks.Below(termGestationWeeks) && child.PostmenstrualAgeWeeks.Below({random.Next(30, 48)})", []),
            < 92 => ($"child.Setting == \"{(random.Next(2) == 0 ? "NICU" : "INPATIENT")}\" && {(random.Next(2) == 0 ? "!" : "")}child.MedicalRelease", []),
            < 95 => ($"child.MinutesSinceLastFeed.Below(feedWaitMinutes) && child.InfantAgeMonths < {months}", []),
            < 98 => ($"child.PlansArea(\"{Areas[random.Next(Areas.Length)]}\") && child.AgeDays < {days}", []),
            _ => ($"child.InfantAgeMonths < {months} && child.BirthWeightGrams.Below(lowBirthWeightGrams)", []),
        };

        var (outcome, severity) = Outcomes[random.Next(Outcomes.Length)];
        var properties = new JsonObject
        {
            ["outcome"] = outcome,
            ["severity"] = severity,
            ["summary"] = $"Generated rule {number}: a synthetic precaution.",
            ["detail"] = $"Synthetic rule {number} for benchmarks and equivalence tests; not clinical content.",
            ["conditions"] = new JsonArray([.. conditions.Select(c => (JsonNode)JsonValue.Create(c)!)]),
            ["evidence"] = JsonNode.Parse(Evidence),
        };
        switch (random.Next(6))
        {
            case 0:
                properties["avoidAreas"] = new JsonArray(JsonValue.Create(Areas[random.Next(Areas.Length)]));
                break;
            case 1 when conditions.Length > 0:
                properties["avoidConditionSite"] = true;
                break;
            case 2:
                properties["maxPressure"] = "LIGHT";
                properties["conflictOutcome"] = "NOT_SUITABLE";
                break;
        }

        return new JsonObject
        {
            ["RuleName"] = $"generated-{number:D4}",
            ["Expression"] = expression,
            ["Properties"] = properties,
        };
    }
}
