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

    /// <summary>
    /// Per seed, the bytes the whole process allocates per gRPC Check handler call (<see cref="CheckServiceHarness"/>),
    /// and the parts: the request mapped in, the pipeline without recording, the record alone, the response mapped out.
    /// </summary>
    public static async Task RunServiceAsync(int calls)
    {
        await using var harness = CheckServiceHarness.Start();
        var ruleSet = Decisions.Loaded(RuleSetLoader.Load(RepositoryPaths.Rules));
        var pipeline = Decisions.Pipeline(ruleSet);
        var ids = new UuidV7DecisionIdSource(TimeProvider.System);
        Console.WriteLine("seed                                  handler B/op   map-in   decide   record  map-out   (process CPU µs/op: handler, record)");
        foreach (var seed in new[] { "fracture-and-asthma", "preterm-in-nicu", "unrecognised-code", "well-child-everyday-codes" })
        {
            var request = CheckServiceHarness.ReadRequest(seed);
            var unvalidated = Check.ProtoMapper.ToUnvalidated(request);
            var decided = (Decided)await pipeline.DecideAsync(unvalidated, Caller.Anonymous, CancellationToken.None);
            var handler = await MeasureAsync(calls, async () => await harness.Service.Check(request, harness.Context));
            var mapIn = await MeasureAsync(calls, () => { Check.ProtoMapper.ToUnvalidated(request); return Task.CompletedTask; });
            var decide = await MeasureAsync(calls, () => { Decisions.Decide(pipeline, unvalidated); return Task.CompletedTask; });
            var record = await MeasureAsync(calls, async () => await harness.Recorder.RecordAsync(
                ruleSet, decided.Assessment, ids.Next(), Caller.Anonymous, TimeProvider.System.GetUtcNow(), CancellationToken.None));
            var mapOut = await MeasureAsync(calls, () => { Check.ProtoMapper.ToResponse(decided, request.Explain); return Task.CompletedTask; });
            Console.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"{seed,-38} {handler.Bytes,12:0} {mapIn.Bytes,8:0} {decide.Bytes,8:0} {record.Bytes,8:0} {mapOut.Bytes,8:0}   {handler.CpuMicroseconds,8:0.0} {record.CpuMicroseconds,8:0.0}"));
        }
    }

    private static async Task<(double Bytes, double CpuMicroseconds)> MeasureAsync(int calls, Func<Task> call)
    {
        for (var i = 0; i < Math.Min(calls, 500); i++)
        {
            await call();
        }

        using var process = Process.GetCurrentProcess();
        var cpu = process.TotalProcessorTime;
        var allocated = GC.GetTotalAllocatedBytes(precise: true);
        for (var i = 0; i < calls; i++)
        {
            await call();
        }

        var bytes = (GC.GetTotalAllocatedBytes(precise: true) - allocated) / (double)calls;
        process.Refresh();
        return (bytes, (process.TotalProcessorTime - cpu).TotalMicroseconds / calls);
    }

    private static (double Bytes, double CpuMicroseconds) Measure(DecisionPipeline pipeline, Core.Requests.UnvalidatedRequest request, int decisions)
    {
        for (var i = 0; i < Math.Min(decisions, 2_000); i++)
        {
            Decisions.Decide(pipeline, request);
        }

        using var process = Process.GetCurrentProcess();
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
