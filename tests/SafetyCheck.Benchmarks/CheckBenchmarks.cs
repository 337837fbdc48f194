using BenchmarkDotNet.Attributes;
using SafetyCheck.Core.Domain;
using SafetyCheck.Core.Evaluation;
using SafetyCheck.Core.Requests;
using SafetyCheck.Core.Rules;
using SafetyCheck.Check;

namespace SafetyCheck.Benchmarks;

/// <summary>
/// One check on the shipped rule set, per seed request: validation, fact derivation, RulesEngine over every rule
/// file, combining. This is the work behind every gRPC Check call apart from transport and the audit record.
/// </summary>
[MemoryDiagnoser]
public class CheckBenchmarks
{
    private SafetyChecker _checker = null!;
    private Dictionary<string, UnvalidatedRequest> _requests = null!;

    [ParamsSource(nameof(Seeds))]
    public string Seed { get; set; } = "";

    public static IEnumerable<string> Seeds() =>
        ["term-newborn", "preterm-in-nicu", "toddler-with-eczema", "fracture-and-asthma", "well-child-everyday-codes", "unrecognised-code"];

    [GlobalSetup]
    public void Setup()
    {
        var result = RuleSetLoader.Load(RepositoryPaths.Rules);
        if (!result.Succeeded)
        {
            throw new InvalidOperationException(string.Join(Environment.NewLine, result.Diagnostics));
        }

        _checker = new SafetyChecker(result.RuleSet, TimeProvider.System);
        var reader = new ProtoRequestJsonReader();
        _requests = Seeds().ToDictionary(s => s, s => reader.Read(File.ReadAllText(Path.Combine(RepositoryPaths.Seeds, s + ".json"))));
    }

    [Benchmark]
    public Suitability Check() => _checker.Check(_requests[Seed]).Assessment!.Suitability;
}
