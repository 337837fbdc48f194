using BenchmarkDotNet.Attributes;
using SafetyCheck.Core.Domain;
using SafetyCheck.Core.Evaluation;
using SafetyCheck.Core.Requests;
using SafetyCheck.Core.Rules;
using SafetyCheck.TestSupport;

namespace SafetyCheck.Benchmarks;

/// <summary>
/// One full decision per seed request on a generated rule set of 1,000 rules: the shipped rules plus generated ones
/// over the shipped catalog and parameters (<see cref="GeneratedRuleSet"/>). How the decision scales with the
/// number of rules.
/// </summary>
[MemoryDiagnoser]
public class LargeRuleSetBenchmarks
{
    /// <summary>Rules in the generated rule set.</summary>
    public const int RuleCount = 1_000;

    private SafetyChecker _checker = null!;
    private UnvalidatedRequest _request = null!;

    [ParamsSource(nameof(Seeds))]
    public string Seed { get; set; } = "";

    public static IEnumerable<string> Seeds() => CheckBenchmarks.Seeds();

    [GlobalSetup]
    public void Setup()
    {
        var result = RuleSetLoader.Load(GeneratedRuleSet.Files(RepositoryPaths.Rules, RuleCount));
        if (!result.Succeeded)
        {
            throw new InvalidOperationException(string.Join(Environment.NewLine, result.Diagnostics.Take(20)));
        }

        _checker = new SafetyChecker(result.RuleSet, TimeProvider.System, CheckBenchmarks.Budget);
        _request = CheckBenchmarks.ReadSeed(Seed);
    }

    [Benchmark]
    public Suitability Check() => _checker.Check(_request).Assessment!.Suitability;
}
