using BenchmarkDotNet.Attributes;
using SafetyCheck.Core.Catalog;
using SafetyCheck.Core.Domain;
using SafetyCheck.Core.Rules;

namespace SafetyCheck.Benchmarks;

/// <summary>
/// Resolving codes against the shipped catalog, with its terminology (the ICD-10-CM code table and the SNOMED CT
/// expansions) and without: what the terminology adds to each code of a request.
/// </summary>
[MemoryDiagnoser]
public class ResolveBenchmarks
{
    // Codes as an everyday record carries them: named ids, subtypes only an expansion knows, codes under a prefix,
    // codes that do not exist.
    private static readonly (string System, string Code)[] Codes =
    [
        (CodeSystems.SnomedCt, "233678006"), (CodeSystems.SnomedCt, "65363002"), (CodeSystems.SnomedCt, "230773005"),
        (CodeSystems.SnomedCt, "81418003"), (CodeSystems.SnomedCt, "15805002"), (CodeSystems.SnomedCt, "999999999999"),
        (CodeSystems.Icd10Cm, "Z00.129"), (CodeSystems.Icd10Cm, "J01.90"), (CodeSystems.Icd10Cm, "S42.411A"),
        (CodeSystems.Icd10Cm, "Z00.999"), (CodeSystems.Icd10Cm, "L20.9"), (CodeSystems.Icd10Cm, "R50.9"),
    ];

    private ConditionCatalog _catalog = null!;

    [Params(true, false)]
    public bool WithTerminology { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        if (WithTerminology)
        {
            var result = RuleSetLoader.Load(RepositoryPaths.Rules);
            _catalog = result.RuleSet?.Catalog ?? throw new InvalidOperationException(string.Join(Environment.NewLine, result.Diagnostics));
            return;
        }

        var catalog = CatalogLoader.Load(Path.Combine(RepositoryPaths.Rules, RuleSetLoader.CatalogFileName), RuleSetLoader.CatalogFileName);
        _catalog = catalog.Catalog ?? throw new InvalidOperationException(string.Join(Environment.NewLine, catalog.Diagnostics));
    }

    /// <summary>All twelve codes once; divide by 12 for one code.</summary>
    [Benchmark]
    public int ResolveTwelveCodes()
    {
        int recognised = 0;
        foreach (var (system, code) in Codes)
        {
            if (_catalog.Resolve(system, code) is not null)
            {
                recognised++;
            }
        }

        return recognised;
    }
}
