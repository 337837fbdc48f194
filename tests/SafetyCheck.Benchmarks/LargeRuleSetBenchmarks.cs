using BenchmarkDotNet.Attributes;
using SafetyCheck.Core.Domain;
using SafetyCheck.Core.Pipeline;
using SafetyCheck.Core.Requests;
using SafetyCheck.Core.Rules;
using SafetyCheck.TestSupport;

namespace SafetyCheck.Benchmarks;

/// <summary>
/// One full decision per seed request, through the pipeline as <see cref="CheckBenchmarks"/> measures it, on a
/// generated rule set of 1,000 rules: the shipped rules plus generated ones over the shipped catalog and parameters
/// (<see cref="GeneratedRuleSet"/>). How the decision scales with the number of rules.
/// </summary>
[MemoryDiagnoser]
public class LargeRuleSetBenchmarks
{
    /// <summary>Rules in the generated rule set.</summary>
    public const int RuleCount = 1_000;

    private DecisionPipeline _pipeline = null!;
    private UnvalidatedRequest _request = null!;

    [ParamsSource(nameof(Seeds))]
    public string Seed { get; set; } = "";

    public static IEnumerable<string> Seeds() => Decisions.Seeds();

    [GlobalSetup]
    public void Setup()
    {
        _pipeline = Decisions.Pipeline(Decisions.Loaded(RuleSetLoader.Load(GeneratedRuleSet.Files(RepositoryPaths.Rules, RuleCount))));
        _request = Decisions.ReadSeed(Seed);
    }

    [Benchmark]
    public Suitability Decide() => Decisions.Decide(_pipeline, _request);
}
