using System.Globalization;
using Newtonsoft.Json.Linq;
using SafetyCheck.Core.Evaluation;
using SafetyCheck.Core.Requests;
using SafetyCheck.Core.Rules;
using SafetyCheck.Core.RuleSuite;
using SafetyCheck.Check;
using SafetyCheck.RuleSuite.Tests.Support;
using SafetyCheck.TestSupport;

namespace SafetyCheck.RuleSuite.Tests;

/// <summary>
/// The fast path gives exactly the results RulesEngine gives: every shipped case and thousands of generated requests
/// are evaluated three ways — the compiled delegates of the rules the index selects (what a check does), the compiled
/// delegates of every rule, and RulesEngine's own <c>ExecuteAllRulesAsync</c> over the workflows — and every rule's
/// result, the verdict, the precautions and the notes must agree. A rule the index skips must be one that evaluates
/// to "not fired".
/// </summary>
public sealed class EvaluationEquivalenceTests
{
    private static readonly Lazy<RuleSet> LargeRuleSet = new(() =>
    {
        var result = RuleSetLoader.Load(GeneratedRuleSet.Files(ShippedSuite.Directory, 1_000));
        Assert.True(result.Succeeded, string.Join("\n", result.Diagnostics.Take(20)));
        return result.RuleSet;
    });

    [Fact]
    public void Paths_EveryShippedCase_AgreeOnEveryRule()
    {
        var ruleSet = ShippedSuite.Load.RuleSet ?? throw new Xunit.Sdk.XunitException("the shipped rules do not load");
        var requests = ShippedCaseRequests().ToList();

        var skipped = AssertPathsAgree(ruleSet, requests);

        Assert.True(requests.Count > 300, $"only {requests.Count} cases");
        // Most rules name conditions a given child does not have: the index skips a large share of the evaluations
        // (about half on the shipped cases, many of which give a child several conditions on purpose).
        Assert.True(skipped > requests.Count * ruleSet.Rules.Count * 2 / 5, $"the index skipped only {skipped} of {requests.Count * ruleSet.Rules.Count} rule evaluations");
    }

    [Fact]
    public void Paths_ThreeThousandGeneratedRequests_AgreeOnEveryRule()
    {
        var ruleSet = ShippedSuite.Load.RuleSet ?? throw new Xunit.Sdk.XunitException("the shipped rules do not load");

        AssertPathsAgree(ruleSet, GeneratedRequests.Over(ShippedSuite.Directory, 3_000));
    }

    [Fact]
    public void Paths_GeneratedRequestsOnAThousandRules_AgreeOnEveryRule()
    {
        AssertPathsAgree(LargeRuleSet.Value, GeneratedRequests.Over(ShippedSuite.Directory, 600, seed: 7));
    }

    /// <summary>Checks every request three ways; returns how many rule evaluations the index skipped in all.</summary>
    private static long AssertPathsAgree(RuleSet ruleSet, IEnumerable<UnvalidatedRequest> requests)
    {
        var checker = new SafetyChecker(ruleSet, TimeProvider.System);
        var index = ruleSet.Compiled.Index;
        var decided = 0;
        long skipped = 0;
        Span<ulong> candidates = stackalloc ulong[index.Words];
        foreach (var request in requests)
        {
            var outcome = checker.Check(request);
            if (!outcome.IsValid)
            {
                continue;
            }

            decided++;
            var fast = outcome.Assessment;
            var input = new EvaluationInput(fast.RequestId, fast.PatientRef, fast.AsOf, fast.TimeZoneId, fast.Facts, fast.Unrecognized);
            var everyRule = checker.Evaluate(input, EvaluationPath.EveryRule);
            var rulesEngine = checker.Evaluate(input, EvaluationPath.RulesEngine);
            AssertSame(request, rulesEngine, everyRule);
            AssertSame(request, rulesEngine, fast);

            index.Candidates(fast.Facts, candidates);
            for (var i = 0; i < ruleSet.Rules.Count; i++)
            {
                if ((candidates[i >> 6] & (1UL << i)) == 0)
                {
                    skipped++;
                    Assert.False(rulesEngine.Trace[i].Fired || rulesEngine.Trace[i].Errored, $"{request.RequestId}: the index skipped rule '{ruleSet.Rules[i].RuleId}', which RulesEngine says is {(rulesEngine.Trace[i].Fired ? "fired" : "errored")}");
                }
            }
        }

        Assert.True(decided > 0, "no request was valid");
        return skipped;
    }

    private static void AssertSame(UnvalidatedRequest request, Assessment expected, Assessment actual)
    {
        var what = request.RequestId;
        Assert.Equal(expected.Trace.Count, actual.Trace.Count);
        for (var i = 0; i < expected.Trace.Count; i++)
        {
            Assert.True(expected.Trace[i] == actual.Trace[i], $"{what}: rule {i}: RulesEngine says {expected.Trace[i]}, the compiled path {actual.Trace[i]}");
        }

        Assert.Equal(expected.Suitability, actual.Suitability);
        Assert.Equal(expected.Benefits, actual.Benefits);
        Assert.Equal(expected.Precautions.Count, actual.Precautions.Count);
        for (var i = 0; i < expected.Precautions.Count; i++)
        {
            var (e, a) = (expected.Precautions[i], actual.Precautions[i]);
            Assert.Equal(e.RuleId, a.RuleId);
            Assert.Equal(e.Outcome, a.Outcome);
            Assert.Equal(e.PlanConflict, a.PlanConflict);
            Assert.Equal(e.AvoidAreas, a.AvoidAreas);
            Assert.Equal(e.TriggeredBy, a.TriggeredBy);
            Assert.Equal(e.Detail, a.Detail);
        }
    }

    /// <summary>The request of every case of the shipped suite, with the case's as_of, read as the suite reads it.</summary>
    private static IEnumerable<UnvalidatedRequest> ShippedCaseRequests()
    {
        var reader = new ProtoRequestJsonReader();
        foreach (var file in RuleSuiteRunner.CaseFiles(ShippedSuite.Directory))
        {
            foreach (var item in JObject.Parse(File.ReadAllText(file))["cases"]!)
            {
                var request = reader.Read(item["request"]!.ToString(Newtonsoft.Json.Formatting.None));
                var asOf = DateTimeOffset.Parse((string)item["asOf"]!, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);
                var session = request.Session ?? new UnvalidatedSession();
                yield return session.ScheduledAtSeconds is null
                    ? request with { RequestId = (string)item["name"]!, Session = session with { ScheduledAtSeconds = asOf.ToUnixTimeSeconds() } }
                    : request with { RequestId = (string)item["name"]! };
            }
        }
    }
}
