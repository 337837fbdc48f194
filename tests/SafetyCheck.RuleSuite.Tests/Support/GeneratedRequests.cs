using Newtonsoft.Json.Linq;
using SafetyCheck.Core.Domain;
using SafetyCheck.Core.Requests;
using SafetyCheck.Core.RuleSuite;

namespace SafetyCheck.RuleSuite.Tests.Support;

/// <summary>
/// Valid, realistic synthetic requests over a rule directory's codes: the codes its cases use, the catalog's own ids,
/// SNOMED CT ids and ICD-10-CM codes, and a few codes nobody knows; ages from newborn to adolescent, with and without
/// gestation, weight, observations, onset dates, body sites and a planned session. Deterministic for the same seed.
/// </summary>
internal static class GeneratedRequests
{
    private static readonly (string System, string Code)[] Unknown =
    [
        (CodeSystems.Icd10Cm, "Z99.99"), (CodeSystems.SnomedCt, "123456789"), (CodeSystems.Icd10Cm, "J45.909"), (CodeSystems.Catalog, "no-such-condition"),
    ];

    private static readonly string[] Zones = ["UTC", "Europe/London", "America/New_York", "Asia/Tokyo", "Pacific/Kiritimati", "America/Los_Angeles"];

    /// <summary><paramref name="count"/> requests over the codes of <paramref name="rulesDirectory"/>.</summary>
    public static IReadOnlyList<UnvalidatedRequest> Over(string rulesDirectory, int count, int seed = 20260302)
    {
        var codes = Codes(rulesDirectory);
        var random = new Random(seed);
        var requests = new List<UnvalidatedRequest>(count);
        for (var k = 0; k < count; k++)
        {
            requests.Add(Request(random, codes, k));
        }

        return requests;
    }

    private static (string System, string Code)[] Codes(string rulesDirectory)
    {
        var codes = new HashSet<(string, string)>();
        foreach (var file in RuleSuiteRunner.CaseFiles(rulesDirectory))
        {
            foreach (var condition in JObject.Parse(File.ReadAllText(file)).SelectTokens("cases[*].request.conditions[*]"))
            {
                codes.Add(((string)condition["system"]!, (string)condition["code"]!));
            }
        }

        foreach (var row in JObject.Parse(File.ReadAllText(Path.Combine(rulesDirectory, "conditions.json")))["conditions"]!)
        {
            codes.Add((CodeSystems.Catalog, (string)row["id"]!));
            foreach (var snomed in row["snomed"] ?? new JArray())
            {
                codes.Add((CodeSystems.SnomedCt, (string)snomed!));
            }

            foreach (var icd in (row["icd10"] ?? new JArray()).OfType<JValue>().Select(v => (string)v!).Where(c => !c.Contains('-', StringComparison.Ordinal)))
            {
                codes.Add((CodeSystems.Icd10Cm, icd));
            }
        }

        return [.. codes.Order()];
    }

    private static UnvalidatedRequest Request(Random random, (string System, string Code)[] codes, int k)
    {
        var asOf = new DateTimeOffset(2026, 3, 2, 10, 0, 0, TimeSpan.Zero).AddMinutes(random.Next(-400 * 24 * 60, 60 * 24 * 60));
        var ageDays = random.Next(100) switch
        {
            < 35 => random.Next(0, 121),
            < 60 => random.Next(0, 801),
            _ => random.Next(0, (17 * 365) + 1),
        };
        var birth = DateOnly.FromDateTime(asOf.UtcDateTime).AddDays(-ageDays - 1);
        var conditions = new List<UnvalidatedCondition>();
        var conditionCount = new[] { 0, 0, 1, 1, 1, 2, 2, 3, 4, 6 }[random.Next(10)];
        for (var i = 0; i < conditionCount; i++)
        {
            var (system, code) = random.Next(100) < 6 ? Unknown[random.Next(Unknown.Length)] : codes[random.Next(codes.Length)];
            conditions.Add(new UnvalidatedCondition
            {
                System = system,
                Code = code,
                Status = random.Next(4) == 0 ? (int)ConditionStatus.Resolved : random.Next(2) == 0 ? (int)ConditionStatus.Active : 0,
                OnsetDate = random.Next(10) < 4 ? birth.AddDays(ageDays - random.Next(0, Math.Min(ageDays, 120) + 1)).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture) : "",
                BodySite = random.Next(5) == 0 ? random.Next(1, 12) : 0,
            });
        }

        return new UnvalidatedRequest
        {
            RequestId = $"generated-{k}",
            Patient = new UnvalidatedPatient
            {
                PatientRef = $"synthetic-{k}",
                BirthDate = birth.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
                GestationalAgeAtBirth = random.Next(2) == 0 ? (random.Next(23, 44), random.Next(0, 7)) : null,
                BirthWeightGrams = random.Next(5) < 2 ? random.Next(400, 5001) : null,
            },
            Conditions = conditions,
            Session = new UnvalidatedSession
            {
                ScheduledAtSeconds = asOf.ToUnixTimeSeconds(),
                TimeZone = Zones[random.Next(Zones.Length)],
                Setting = random.Next(0, 5),
                Pressure = random.Next(0, 4),
                MedicalRelease = random.Next(10) < 3,
                Areas = [.. Enumerable.Range(0, random.Next(0, 4)).Select(_ => random.Next(1, 12))],
            },
            TemperatureCelsius = random.Next(10) < 4 ? Math.Round(34 + (random.NextDouble() * 6.5), 1) : null,
            MinutesSinceLastFeed = random.Next(10) < 3 ? random.Next(0, 241) : null,
        };
    }
}
