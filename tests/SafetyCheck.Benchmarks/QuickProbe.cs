using System.Diagnostics;
using System.Globalization;
using SafetyCheck.Core.Pipeline;
using SafetyCheck.Core.Rules;
using SafetyCheck.TestSupport;

namespace SafetyCheck.Benchmarks;

/// <summary>
/// A quick look between BenchmarkDotNet runs (<c>-- --probe [decisions]</c>): per seed, the bytes one decision
/// allocates on its thread (exact, whatever the machine's load) and the process CPU time per decision (rough), on
/// the shipped rules and on the generated 1,000-rule set. BenchmarkDotNet's figures are the ones to report.
/// </summary>
internal static class QuickProbe
{
    public static void Run(int decisions)
    {
        var shipped = Decisions.Pipeline(Decisions.Loaded(RuleSetLoader.Load(RepositoryPaths.Rules)));
        var large = Decisions.Pipeline(Decisions.Loaded(RuleSetLoader.Load(GeneratedRuleSet.Files(RepositoryPaths.Rules, LargeRuleSetBenchmarks.RuleCount))));
        Console.WriteLine("seed                                   shipped B/op  shipped µs(cpu)  1000-rule B/op  1000-rule µs(cpu)");
        foreach (var seed in Decisions.Seeds())
        {
            var request = Decisions.ReadSeed(seed);
            var (bytes, micros) = Measure(shipped, request, decisions);
            var (largeBytes, largeMicros) = Measure(large, request, decisions);
            Console.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"{seed,-38} {bytes,12:0} {micros,16:0.00} {largeBytes,15:0} {largeMicros,18:0.00}"));
        }
    }

    private static (double Bytes, double CpuMicroseconds) Measure(DecisionPipeline pipeline, Core.Requests.UnvalidatedRequest request, int decisions)
    {
        for (var i = 0; i < Math.Min(decisions, 2_000); i++)
        {
            Decisions.Decide(pipeline, request);
        }

        var process = Process.GetCurrentProcess();
        var cpu = process.TotalProcessorTime;
        var allocated = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < decisions; i++)
        {
            Decisions.Decide(pipeline, request);
        }

        var bytes = (GC.GetAllocatedBytesForCurrentThread() - allocated) / (double)decisions;
        process.Refresh();
        return (bytes, (process.TotalProcessorTime - cpu).TotalMicroseconds / decisions);
    }
}
