using BenchmarkDotNet.Attributes;
using SafetyCheck.Protos.V1;

namespace SafetyCheck.Benchmarks;

/// <summary>
/// The gRPC <c>Check</c> handler as <c>serve</c> runs it, per seed request, called in process with a fake
/// call context (<see cref="CheckServiceHarness"/>): the protobuf request mapped in, the decision pipeline, the audit recorder and
/// chain writer over a SQLite audit database (WAL, <c>synchronous=FULL</c>, in the temporary folder), the response
/// mapped out. One caller at a time, so every record is a batch of one and waits for its own commit; the time is
/// mostly the commit, the allocation is the point. Not included: HTTP/2, protobuf (de)serialisation, authentication.
/// </summary>
[MemoryDiagnoser]
public class ServiceCheckBenchmarks : IAsyncDisposable
{
    private CheckServiceHarness _harness = null!;
    private CheckRequest _request = null!;

    [ParamsSource(nameof(Seeds))]
    public string Seed { get; set; } = "";

    public static IEnumerable<string> Seeds() => ["fracture-and-asthma", "preterm-in-nicu", "unrecognised-code", "well-child-everyday-codes"];

    [GlobalSetup]
    public void Setup()
    {
        _harness = CheckServiceHarness.Start();
        _request = CheckServiceHarness.ReadRequest(Seed);
    }

    [GlobalCleanup]
    public async ValueTask DisposeAsync()
    {
        await _harness.DisposeAsync();
        GC.SuppressFinalize(this);
    }

    [Benchmark]
    public async Task<Suitability> Check() => (await _harness.Service.Check(_request, _harness.Context)).Suitability;
}
