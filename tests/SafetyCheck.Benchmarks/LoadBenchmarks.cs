using BenchmarkDotNet.Attributes;
using SafetyCheck.Core.Rules;

namespace SafetyCheck.Benchmarks;

/// <summary>Loading the shipped rule set: strict JSON reading, catalog, expression vetting, compiling and warming.</summary>
[MemoryDiagnoser]
public class LoadBenchmarks
{
    // BenchmarkDotNet needs instance benchmark methods.
#pragma warning disable CA1822
    [Benchmark]
    public int LoadShippedRules() => RuleSetLoader.Load(RepositoryPaths.Rules).RuleSet!.Rules.Count;
#pragma warning restore CA1822
}
