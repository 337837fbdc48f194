using BenchmarkDotNet.Attributes;
using SafetyCheck.Core.Domain;
using SafetyCheck.Core.Pipeline;
using SafetyCheck.Core.Requests;
using SafetyCheck.Core.Rules;

namespace SafetyCheck.Benchmarks;

/// <summary>
/// One full decision on the shipped rule set, per seed request (every <c>seeds/*.json</c>), through the
/// <see cref="DecisionPipeline"/> as every transport calls it: validation, fact derivation, rule evaluation, combining,
/// the decision id, with a recorder that records nothing. This is the work behind every gRPC Check call apart from
/// the protobuf mapping and the audit record (<see cref="ServiceCheckBenchmarks"/> adds both).
/// </summary>
[MemoryDiagnoser]
public class CheckBenchmarks
{
    private DecisionPipeline _pipeline = null!;
    private UnvalidatedRequest _request = null!;

    [ParamsSource(nameof(Seeds))]
    public string Seed { get; set; } = "";

    public static IEnumerable<string> Seeds() => Decisions.Seeds();

    [GlobalSetup]
    public void Setup()
    {
        _pipeline = Decisions.Pipeline(Decisions.Loaded(RuleSetLoader.Load(RepositoryPaths.Rules)));
        _request = Decisions.ReadSeed(Seed);
    }

    /// <summary>Validation to combined verdict. The non-recording recorder completes synchronously, so this does not wait.</summary>
    [Benchmark]
    public Suitability Decide() => Decisions.Decide(_pipeline, _request);
}
