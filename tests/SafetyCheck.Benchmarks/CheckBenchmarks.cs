using BenchmarkDotNet.Attributes;
using SafetyCheck.Core.Domain;
using SafetyCheck.Core.Evaluation;
using SafetyCheck.Core.Requests;
using SafetyCheck.Core.Rules;
using SafetyCheck.Check;

namespace SafetyCheck.Benchmarks;

/// <summary>
/// One full decision on the shipped rule set, per seed request (every <c>seeds/*.json</c>): validation, fact
/// derivation, rule evaluation, combining. This is the work behind every gRPC Check call apart from transport and
/// the audit record.
/// </summary>
[MemoryDiagnoser]
public class CheckBenchmarks
{
    private SafetyChecker _checker = null!;
    private UnvalidatedRequest _request = null!;

    [ParamsSource(nameof(Seeds))]
    public string Seed { get; set; } = "";

    /// <summary>The evaluation budget <c>serve</c> runs with by default, so the budget checks are part of the cost.</summary>
    internal static TimeSpan Budget { get; } = TimeSpan.FromMilliseconds(new SafetyCheck.RuleSets.SafetyCheckOptions().EvaluationBudgetMilliseconds);

    /// <summary>The seed requests by file name without extension, in ordinal order.</summary>
    public static IEnumerable<string> Seeds() =>
        Directory.EnumerateFiles(RepositoryPaths.Seeds, "*.json")
            .Select(Path.GetFileNameWithoutExtension)
            .OfType<string>()
            .Order(StringComparer.Ordinal);

    [GlobalSetup]
    public void Setup()
    {
        var result = RuleSetLoader.Load(RepositoryPaths.Rules);
        if (!result.Succeeded)
        {
            throw new InvalidOperationException(string.Join(Environment.NewLine, result.Diagnostics));
        }

        _checker = new SafetyChecker(result.RuleSet, TimeProvider.System, CheckBenchmarks.Budget);
        _request = ReadSeed(Seed);
    }

    [Benchmark]
    public Suitability Check() => _checker.Check(_request).Assessment!.Suitability;

    /// <summary>The seed request <paramref name="seed"/>, read as <c>eval</c> reads it.</summary>
    internal static UnvalidatedRequest ReadSeed(string seed) =>
        new ProtoRequestJsonReader().Read(File.ReadAllText(Path.Combine(RepositoryPaths.Seeds, seed + ".json")));
}
