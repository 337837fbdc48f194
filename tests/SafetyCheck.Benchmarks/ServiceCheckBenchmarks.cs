using BenchmarkDotNet.Attributes;
using Grpc.Core;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using SafetyCheck.Audit.Chain;
using SafetyCheck.Audit.Pseudonyms;
using SafetyCheck.Audit.Recording;
using SafetyCheck.Audit.Sqlite;
using SafetyCheck.Check;
using SafetyCheck.Core.Pipeline;
using SafetyCheck.Grpc;
using SafetyCheck.Protos.V1;
using SafetyCheck.RuleSets;

namespace SafetyCheck.Benchmarks;

/// <summary>
/// The gRPC <c>Check</c> handler as <c>serve</c> runs it, per seed request, called in process with a fake
/// <see cref="ServerCallContext"/>: the protobuf request mapped in, the decision pipeline, the audit recorder and
/// chain writer over a SQLite audit database (WAL, <c>synchronous=FULL</c>, in the temporary folder), the response
/// mapped out. One caller at a time, so every record is a batch of one and waits for its own commit; the time is
/// mostly the commit, the allocation is the point. Not included: HTTP/2, protobuf (de)serialisation, authentication.
/// </summary>
[MemoryDiagnoser]
public class ServiceCheckBenchmarks : IAsyncDisposable
{
    private string _directory = "";
    private SqliteAuditStorage? _storage;
    private AuditChainWriter? _writer;
    private SafetyCheckService _service = null!;
    private CheckRequest _request = null!;
    private BenchmarkCallContext _context = null!;

    [ParamsSource(nameof(Seeds))]
    public string Seed { get; set; } = "";

    public static IEnumerable<string> Seeds() => ["fracture-and-asthma", "preterm-in-nicu", "unrecognised-code", "well-child-everyday-codes"];

    [GlobalSetup]
    public void Setup()
    {
        var rules = new RuleSetProvider(TimeProvider.System, Options.Create(new SafetyCheckOptions()), NullLogger<RuleSetProvider>.Instance);
        var load = rules.Load(RepositoryPaths.Rules);
        if (rules.Current is null)
        {
            throw new InvalidOperationException(string.Join(Environment.NewLine, load.Diagnostics.Take(20)));
        }

        _directory = Directory.CreateTempSubdirectory("safetycheck-bench-").FullName;
        _storage = SqliteAuditStorage.Open(Path.Combine(_directory, "audit.db"));
        _writer = AuditChainWriter.StartAsync(_storage).GetAwaiter().GetResult();
        var recorder = new ChainDecisionRecorder(
            _writer,
            new Pseudonymiser(new byte[Pseudonymiser.MinimumKeyBytes], "bench"),
            new RevisionArchive(_writer, NullLogger<RevisionArchive>.Instance));
        var pipeline = new DecisionPipeline(
            rules, recorder, new UuidV7DecisionIdSource(TimeProvider.System), TimeProvider.System, [], NullLogger<DecisionPipeline>.Instance);
        _service = new SafetyCheckService(pipeline, rules);
        _request = ProtoJson.ParseRequest(File.ReadAllText(Decisions.SeedPath(Seed)));
        _context = new BenchmarkCallContext();
    }

    [GlobalCleanup]
    public async ValueTask DisposeAsync()
    {
        if (_writer is not null)
        {
            await _writer.DisposeAsync();
        }

        if (_storage is not null)
        {
            await _storage.DisposeAsync();
        }

        if (_directory.Length > 0)
        {
            Directory.Delete(_directory, recursive: true);
        }

        GC.SuppressFinalize(this);
    }

    [Benchmark]
    public async Task<Suitability> Check() => (await _service.Check(_request, _context)).Suitability;

    /// <summary>A call context with an anonymous HTTP context, as an unauthenticated call on a development server has.</summary>
    private sealed class BenchmarkCallContext : ServerCallContext
    {
        private readonly Dictionary<object, object> _userState = new() { ["__HttpContext"] = new DefaultHttpContext() };

        protected override string MethodCore => "/safetycheck.v1.SafetyCheck/Check";

        protected override string HostCore => "localhost";

        protected override string PeerCore => "ipv4:127.0.0.1:1";

        protected override DateTime DeadlineCore => DateTime.MaxValue;

        protected override Metadata RequestHeadersCore { get; } = [];

        protected override CancellationToken CancellationTokenCore => CancellationToken.None;

        protected override Metadata ResponseTrailersCore { get; } = [];

        protected override Status StatusCore { get; set; }

        protected override WriteOptions? WriteOptionsCore { get; set; }

        protected override AuthContext AuthContextCore { get; } = new(null, []);

        protected override IDictionary<object, object> UserStateCore => _userState;

        protected override ContextPropagationToken CreatePropagationTokenCore(ContextPropagationOptions? options) => throw new NotSupportedException();

        protected override Task WriteResponseHeadersAsyncCore(Metadata responseHeaders) => Task.CompletedTask;
    }
}
