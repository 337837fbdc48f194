using Grpc.Core;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using SafetyCheck.Audit;
using SafetyCheck.Audit.Chain;
using SafetyCheck.Audit.Pseudonyms;
using SafetyCheck.Audit.Recording;
using SafetyCheck.Audit.Sqlite;
using SafetyCheck.Audit.Storage;
using SafetyCheck.Check;
using SafetyCheck.Core.Pipeline;
using SafetyCheck.Core.RuleSuite;
using SafetyCheck.Grpc;
using SafetyCheck.IntegrationTests.Infrastructure;
using SafetyCheck.Protos.V1;
using SafetyCheck.RuleSets;

namespace SafetyCheck.Benchmarks;

/// <summary>
/// The gRPC Check handler composed as <c>serve</c> composes it, without the host: the shipped rules, the decision
/// pipeline, the audit recorder and chain writer over a SQLite audit database (WAL, <c>synchronous=FULL</c>) in a
/// temporary folder that disposing deletes, and a call context of an anonymous caller. Logging is off.
/// </summary>
internal sealed class CheckServiceHarness : IAsyncDisposable
{
    private readonly string _directory;
    private readonly SqliteAuditStorage _storage;
    private readonly AuditChainWriter _writer;

    private CheckServiceHarness(string directory, SqliteAuditStorage storage, AuditChainWriter writer, SafetyCheckService service, ChainDecisionRecorder recorder)
    {
        _directory = directory;
        _storage = storage;
        _writer = writer;
        Service = service;
        Recorder = recorder;
    }

    /// <summary>The service whose <c>Check</c> handler is measured.</summary>
    public SafetyCheckService Service { get; }

    /// <summary>The recorder the service's pipeline records through.</summary>
    public ChainDecisionRecorder Recorder { get; }

    /// <summary>The call context every call passes: an anonymous HTTP context, as an unauthenticated call on a development server has.</summary>
    public ServerCallContext Context { get; } = AnonymousCallContext();

    public static CheckServiceHarness Start()
    {
        var rules = new RuleSetProvider(TimeProvider.System, Options.Create(new SafetyCheckOptions()), NullLogger<RuleSetProvider>.Instance);
        var load = rules.Load(RepositoryPaths.Rules);
        if (rules.Current is null)
        {
            throw new InvalidOperationException(string.Join(Environment.NewLine, load.Diagnostics.Take(20)));
        }

        var directory = Directory.CreateTempSubdirectory("safetycheck-bench-").FullName;
        var storage = SqliteAuditStorage.Open(Path.Combine(directory, "audit.db"));
        var writer = AuditChainWriter.StartAsync(storage).GetAwaiter().GetResult();
        var recorder = new ChainDecisionRecorder(
            writer,
            new Pseudonymiser(new byte[Pseudonymiser.MinimumKeyBytes], "bench"),
            new RevisionArchive(writer, NullLogger<RevisionArchive>.Instance));
        var pipeline = new DecisionPipeline(
            rules, recorder, new UuidV7DecisionIdSource(TimeProvider.System), TimeProvider.System, [], NullLogger<DecisionPipeline>.Instance);
        return new CheckServiceHarness(directory, storage, writer, new SafetyCheckService(pipeline, rules, Reloader(rules, writer, storage)), recorder);
    }

    /// <summary>A reloader the benchmark never calls: the service reads only its last report, which stays empty.</summary>
    private static RuleReloader Reloader(RuleSetProvider rules, AuditChainWriter writer, IAuditStorage storage) =>
        new(
            rules,
            new RuleSetLoadingOptions { Directory = RepositoryPaths.Rules },
            new RuleSuiteRunner(new ProtoRequestJsonReader()),
            new AuditReloadJournal(writer, new RevisionArchive(writer, NullLogger<RevisionArchive>.Instance), new UuidV7DecisionIdSource(TimeProvider.System), storage),
            TimeProvider.System,
            NullLogger<RuleReloader>.Instance);

    /// <summary>The seed request <paramref name="seed"/> as the protobuf message the service receives.</summary>
    public static CheckRequest ReadRequest(string seed) => ProtoJson.ParseRequest(File.ReadAllText(Decisions.SeedPath(seed)));

    private static FakeServerCallContext AnonymousCallContext()
    {
        var context = new FakeServerCallContext(CancellationToken.None);
        context.UserState["__HttpContext"] = new DefaultHttpContext();
        return context;
    }

    public async ValueTask DisposeAsync()
    {
        await _writer.DisposeAsync();
        await _storage.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }
}
