using BenchmarkDotNet.Attributes;
using SafetyCheck.Audit.Json;
using SafetyCheck.Audit.Pseudonyms;
using SafetyCheck.Audit.Records;
using SafetyCheck.Core.Evaluation;
using SafetyCheck.Core.Rules;
using SafetyCheck.Check;

namespace SafetyCheck.Benchmarks;

/// <summary>
/// The audit record of one decision, per seed request: the record made from the assessment (pseudonym, results
/// digest), then written as the chain writer writes it — canonical JSON into a reused pooled buffer, SHA-256, the
/// record text for the store. The store's own work (SQLite insert, fsync) is not included.
/// </summary>
[MemoryDiagnoser]
public class AuditRecordBenchmarks : IDisposable
{
    private readonly CanonicalJsonWriter _writer = new();
    private readonly Pseudonymiser _pseudonymiser = new(new byte[32], "bench");
    private Dictionary<string, Assessment> _assessments = null!;

    [ParamsSource(nameof(Seeds))]
    public string Seed { get; set; } = "";

    public static IEnumerable<string> Seeds() => Decisions.Seeds();

    [GlobalSetup]
    public void Setup()
    {
        var ruleSet = RuleSetLoader.Load(RepositoryPaths.Rules).RuleSet ?? throw new InvalidOperationException("the shipped rules do not load");
        var checker = new SafetyChecker(ruleSet, TimeProvider.System);
        var reader = new ProtoRequestJsonReader();
        _assessments = Seeds().ToDictionary(s => s, s => checker.Check(reader.Read(File.ReadAllText(Path.Combine(RepositoryPaths.Seeds, s + ".json")))).Assessment!);
    }

    [GlobalCleanup]
    public void Dispose()
    {
        _writer.Dispose();
        GC.SuppressFinalize(this);
    }

    [Benchmark]
    public int CreateWriteAndHash()
    {
        var draft = DecisionRecordFactory.Create(_assessments[Seed], "01900000-0000-7000-8000-000000000001", "dev-key", DateTimeOffset.UnixEpoch, _pseudonymiser);
        _writer.Reset();
        DecisionRecordJson.Write(_writer, draft, 1_000_000, "0000000000000000000000000000000000000000000000000000000000000000");
        return _writer.ToString().Length + _writer.Sha256Hex().Length;
    }
}
