using CsCheck;
using SafetyCheck.Core.Domain;
using SafetyCheck.Core.Evaluation;
using SafetyCheck.Core.Requests;
using SafetyCheck.Core.Rules;
using SafetyCheck.Core.Tests.Support;

namespace SafetyCheck.Core.Tests.Hostile;

/// <summary>
/// Property-based hostile input: generated and mutated requests through validation and evaluation. Whatever a caller
/// sends, the answer is a decision or a precise error, and no exception escapes.
/// </summary>
public class GeneratedRequestTests
{
    private static readonly Lazy<SafetyChecker> Checker = new(() =>
    {
        using var dir = TempRuleDirectory.WithRules(string.Join(",\n",
            Fixtures.Rule("fever", "child.Has(\"fever\") || child.TemperatureCelsius.AtLeast(feverThresholdCelsius)", conditions: "\"fever\""),
            Fixtures.Rule("immunisation", "child.HasWithinDays(\"immunisation\", immunisationDeferralDays) || child.HasUndated(\"immunisation\")", conditions: "\"immunisation\""),
            Fixtures.Rule("eczema", "child.Has(\"eczema\")", "SUITABLE_WITH_PRECAUTIONS", "CAUTION", "\"eczema\"", ",\n \"avoidAreas\": [\"FACE\"], \"maxPressure\": \"MODERATE\""),
            Fixtures.Rule("preterm", "child.GestationalAgeWeeks.Below(37) && child.PostmenstrualAgeWeeks.Below(40)", "SUITABLE_WITH_PRECAUTIONS", "CAUTION", extra: ",\n \"avoidAreas\": [\"ABDOMEN\"], \"conflictOutcome\": \"NOT_SUITABLE\""),
            Fixtures.Rule("infant", "child.InfantAgeMonths < 12 && child.CorrectedAgeMonths.AtMost(3) || child.Setting == \"NICU\"", "SUITABLE", "INFO")));
        var result = RuleSetLoader.Load(dir.Path);
        Assert.True(result.Succeeded, string.Join("\n", result.Diagnostics));
        return new SafetyChecker(result.RuleSet, TimeProvider.System);
    });

    private static readonly Gen<string> DateText = Gen.Frequency(
        (12, Gen.Select(Gen.Int[2009, 2026], Gen.Int[1, 12], Gen.Int[1, 28], (y, m, d) => $"{y:D4}-{m:D2}-{d:D2}")),
        (1, Gen.Select(Gen.Int[1990, 2030], Gen.Int[0, 13], Gen.Int[0, 32], (y, m, d) => $"{y:D4}-{m:D2}-{d:D2}")),
        (1, Gen.OneOfConst("", "2024-02-29", "2023-02-29", "0000-01-01", "9999-12-31", "2026-1-1", "2026-01-01T00:00:00Z", " 2026-01-01", "\u0000", "２０２６-01-01")),
        (1, Gen.String[0, 12]));

    private static readonly Gen<string> CodeSystem = Gen.Frequency(
        (12, Gen.OneOfConst(CodeSystems.Icd10Cm, CodeSystems.SnomedCt, CodeSystems.Catalog)),
        (1, Gen.OneOfConst("", "http://loinc.org", "HTTP://SNOMED.INFO/SCT")),
        (1, Gen.String[0, 40]));

    private static readonly Gen<string> Code = Gen.Frequency(
        (3, Gen.OneOfConst("R50.9", "R509", "r50.9", "Z23", "L20.9", "K00.7", "386661006", "fever", "eczema", "Q99.XYZ", "S42.001A")),
        (1, Gen.OneOf(
        Gen.OneOfConst("R50.9", "R509", "r50.9", "Z23", "L20.9", "K00.7", "386661006", "fever", "eczema", "", " ", "Q99.XYZ", "S42.001A", "..", "R50.", new string('9', 65)),
        Gen.String[0, 70])));

    private static readonly Gen<UnvalidatedCondition> Condition = Gen.Select(CodeSystem, Code, Gen.Frequency((9, Gen.Int[0, 2]), (1, Gen.Int[-2, 4])), Gen.Frequency((3, Gen.Const("")), (1, DateText)), Gen.Frequency((9, Gen.Int[0, 11]), (1, Gen.Int[-2, 13])), Gen.String[0, 20],
        (system, code, status, onset, site, display) => new UnvalidatedCondition
        {
            System = system, Code = code, Status = status, OnsetDate = onset, BodySite = site, Display = display,
        });

    private static readonly Gen<double?> Temperature = Gen.Frequency(
        (6, Gen.Const((double?)null)),
        (3, Gen.Double[35, 40].Select(d => (double?)d)),
        (1, Gen.Double[25, 50].Select(d => (double?)d)),
        (1, Gen.OneOfConst<double?>(null, double.NaN, double.PositiveInfinity, double.NegativeInfinity, 38.0, 37.9999, -0.0, double.MaxValue, double.Epsilon)));

    private static readonly Gen<UnvalidatedSession?> Session = Gen.Frequency(
        (1, Gen.Const((UnvalidatedSession?)null)),
        (6, Gen.Select(
            Gen.Frequency((8, Gen.Long[1_750_000_000L, 1_790_000_000L].Select(s => (long?)s)), (1, Gen.Long[-100_000_000_000L, 300_000_000_000L].Select(s => (long?)s)), (1, Gen.OneOfConst<long?>(null, long.MinValue, long.MaxValue))),
            Gen.Frequency((9, Gen.Int[0, 999_999_999]), (1, Gen.Int[-1, 1_000_000_001])),
            Gen.Frequency((8, Gen.OneOfConst("", "UTC", "Europe/London", "Pacific/Auckland", "America/Los_Angeles")), (1, Gen.OneOfConst("Not/AZone", "../etc/passwd", "Pacific Standard Time")), (1, Gen.String[0, 70])),
            Gen.Frequency((9, Gen.Int[0, 4]), (1, Gen.Int[-1, 5])),
            Gen.Frequency((9, Gen.Int[0, 3]), (1, Gen.Int[-1, 4])),
            Gen.Bool,
            Gen.Frequency((9, Gen.Int[1, 11].Array[0, 4]), (1, Gen.Int[-1, 12].Array[0, 14])),
            (seconds, nanos, zone, setting, pressure, release, areas) => (UnvalidatedSession?)new UnvalidatedSession
            {
                ScheduledAtSeconds = seconds, ScheduledAtNanos = nanos, TimeZone = zone, Setting = setting, Pressure = pressure, MedicalRelease = release, Areas = areas,
            })));

    private static readonly Gen<UnvalidatedPatient?> Patient = Gen.Frequency(
        (1, Gen.Const((UnvalidatedPatient?)null)),
        (12, Gen.Select(
            DateText,
            Gen.Frequency((4, Gen.Const(((int, int)?)null)), (4, Gen.Select(Gen.Int[23, 43], Gen.Int[0, 6], (w, d) => ((int, int)?)(w, d))), (1, Gen.Select(Gen.Int[15, 50], Gen.Int[-1, 8], (w, d) => ((int, int)?)(w, d)))),
            Gen.Frequency((4, Gen.Const((int?)null)), (4, Gen.Int[400, 5000].Select(w => (int?)w)), (1, Gen.OneOf(Gen.Int[-10, 8000].Select(w => (int?)w), Gen.OneOfConst<int?>(int.MinValue, int.MaxValue)))),
            Gen.Frequency((9, Gen.String[0, 20]), (1, Gen.String[0, 140])),
            (birth, ga, weight, patientRef) => (UnvalidatedPatient?)new UnvalidatedPatient { BirthDate = birth, GestationalAgeAtBirth = ga, BirthWeightGrams = weight, PatientRef = patientRef })));

    private static readonly Gen<UnvalidatedRequest> Request = Gen.Select(
        Patient,
        Condition.Array[0, 4],
        Session,
        Temperature,
        Gen.Frequency((6, Gen.Const((int?)null)), (3, Gen.Int[0, 240].Select(m => (int?)m)), (1, Gen.Int[-100, 20_000].Select(m => (int?)m))),
        Gen.Frequency((9, Gen.String[0, 20]), (1, Gen.String[0, 70])),
        Gen.Bool,
        (patient, conditions, session, temperature, feed, requestId, explain) => new UnvalidatedRequest
        {
            Patient = patient, Conditions = conditions, Session = session, TemperatureCelsius = temperature, MinutesSinceLastFeed = feed, RequestId = requestId, Explain = explain,
        });

    [Fact]
    public void Check_OneHundredThousandGeneratedRequests_AnswerWithADecisionOrAPreciseError()
    {
        var checker = Checker.Value;
        var decisions = 0;
        Request.Sample(
            request =>
            {
                var outcome = checker.Check(request);
                if (outcome.IsValid)
                {
                    Interlocked.Increment(ref decisions);
                    Assert.NotEqual(Suitability.Unspecified, outcome.Assessment.Suitability);
                    Assert.Empty(outcome.Violations);
                    Assert.All(outcome.Assessment.Precautions, p => Assert.InRange(p.Summary.Length, 1, 140));
                }
                else
                {
                    Assert.NotEmpty(outcome.Violations);
                    Assert.All(outcome.Violations, v => Assert.False(string.IsNullOrWhiteSpace(v.Field) || string.IsNullOrWhiteSpace(v.Description)));
                }
            },
            iter: 100_000);

        // Generation is biased towards plausible values, so a share of the requests must be valid and evaluated.
        Assert.True(decisions > 1_000, $"only {decisions} generated requests were valid");
    }

    [Fact]
    public void Check_MutatedValidRequest_NeverLetsAnUnknownActiveCodeThrough()
    {
        var checker = Checker.Value;
        var valid = SampleRequests.Child();
        Gen.String[1, 12].Sample(
            code =>
            {
                var request = valid with { Conditions = [SampleRequests.Icd(code)] };
                var outcome = checker.Check(request);
                if (outcome.IsValid && outcome.Assessment.Unrecognized.Count > 0)
                {
                    Assert.NotEqual(Suitability.Suitable, outcome.Assessment.Suitability);
                    Assert.NotEqual(Suitability.SuitableWithPrecautions, outcome.Assessment.Suitability);
                }
            },
            iter: 20_000);
    }
}
