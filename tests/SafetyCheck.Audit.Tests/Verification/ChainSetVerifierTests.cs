using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using SafetyCheck.Audit.Chain;
using SafetyCheck.Audit.Checkpoints;
using SafetyCheck.Audit.Export;
using SafetyCheck.Audit.Storage;
using SafetyCheck.Audit.Tests.Support;
using SafetyCheck.Audit.Verification;

namespace SafetyCheck.Audit.Tests.Verification;

/// <summary>Verification, checkpoints and exports of a store of several chains (one per instance), in memory.</summary>
public sealed class ChainSetVerifierTests
{
    private static readonly DateTimeOffset Time = new(2026, 3, 2, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task VerifyAsync_EveryChainAgainstTheCheckpointNamingIt_OneValidReportPerChain()
    {
        var chains = await TwoChainsAsync();
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var text = string.Concat(await Task.WhenAll(((string[])["node-a", "node-b"]).Select(async id =>
            Checkpoint.Create(ChainOrigin.For("store-1", id), await chains.Chain(id).HeadAsync(), Time, key).ToText())));

        var checkpoints = ChainOrigin.SplitCheckpoints(text).Select(Checkpoint.Parse).ToList();
        var reports = await ChainSetVerifier.VerifyAsync(chains, checkpoints, key);

        Assert.Equal(["node-a", "node-b"], checkpoints.Select(c => ChainOrigin.ChainOf(c.Origin)));
        Assert.Equal(["node-a", "node-b"], reports.Select(r => r.Chain));
        Assert.All(reports, r => Assert.True(r.Report.IsValid, r.Report.Message));
        Assert.Equal([3L, 2L], reports.Select(r => r.Report.EntriesChecked));
        Assert.All(reports, r => Assert.Contains("consistent with the checkpoint at " + r.Report.EntriesChecked, r.Report.Message, StringComparison.Ordinal));

        // The archive is the store's, checked once after every chain verified, and said once.
        Assert.EndsWith("; 0 archived rule revisions hash to their files", reports[^1].Report.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task VerifyAsync_CheckpointOfAChainTheStoreNoLongerHolds_FailsAsTruncatedTail()
    {
        var chains = await TwoChainsAsync();
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var gone = Checkpoint.Create(ChainOrigin.For("store-1", "node-c"), new AuditHead(5, new string('a', 64)), Time, key);

        var reports = await ChainSetVerifier.VerifyAsync(chains, [gone], key);

        var report = Assert.Single(reports, r => r.Chain == "node-c").Report;
        Assert.Equal(VerificationProblem.TruncatedTail, report.Problem);
        Assert.Contains("the whole chain is gone", report.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ExportAsync_SeveralChains_JsonLinesNameTheirChain_AndEachChainVerifiesOffline()
    {
        var chains = await TwoChainsAsync();
        using var output = new StringWriter();

        var count = await AuditExporter.ExportAsync(chains, output, AuditExportFormat.JsonLines);

        Assert.Equal(5, count);
        var rows = new List<StoredEntry>();
        await foreach (var row in AuditExporter.ReadJsonLinesAsync(new StringReader(output.ToString())))
        {
            rows.Add(row);
        }

        Assert.Equal(["node-a", "node-a", "node-a", "node-b", "node-b"], rows.Select(r => r.Chain));
        var reports = await ChainSetVerifier.VerifyAsync(["node-a", "node-b"], id => rows.Where(r => r.Chain == id).ToAsyncEnumerable(), [], null);
        Assert.All(reports, r => Assert.True(r.Report.IsValid, r.Report.Message));
    }

    [Fact]
    public void ChainOf_OriginsOfOtherStores_AreNoChain()
    {
        Assert.Equal("node-a", ChainOrigin.ChainOf("safetycheck-audit/6f0e/node-a"));
        Assert.Null(ChainOrigin.ChainOf("safetycheck host-a /var/lib/audit.db"));
        Assert.Null(ChainOrigin.ChainOf("safetycheck-audit/6f0e/"));
    }

    private static async Task<MemoryChainSet> TwoChainsAsync()
    {
        var set = new MemoryChainSet();
        foreach (var (id, count) in ((string, int)[])[("node-a", 3), ("node-b", 2)])
        {
            var storage = new MemoryAuditStorage();
            var writer = await AuditChainWriter.StartAsync(storage);
            for (var i = 0; i < count; i++)
            {
                await writer.AppendAsync(new NoteEntry($"{id}-{i}", Time, "n"));
            }

            await writer.DisposeAsync();
            set.Chains[id] = storage;
        }

        return set;
    }

    /// <summary>Chains kept in memory, each read through a reader that names its chain on every row (as a shared store does).</summary>
    private sealed class MemoryChainSet : IAuditChainSet
    {
        public SortedDictionary<string, MemoryAuditStorage> Chains { get; } = new(StringComparer.Ordinal);

        public Task<IReadOnlyList<string>> ListChainsAsync(CancellationToken cancellationToken = default) => Task.FromResult<IReadOnlyList<string>>([.. Chains.Keys]);

        public IAuditReader Chain(string chainId) => new Tagged(Chains[chainId], chainId);

        private sealed class Tagged(MemoryAuditStorage storage, string chain) : IAuditReader
        {
            public Task<AuditHead> HeadAsync(CancellationToken cancellationToken = default) => storage.HeadAsync(cancellationToken);

            public async IAsyncEnumerable<StoredEntry> ReadRangeAsync(long fromSequence, int count, [EnumeratorCancellation] CancellationToken cancellationToken = default)
            {
                await foreach (var row in storage.ReadRangeAsync(fromSequence, count, cancellationToken))
                {
                    yield return row with { Chain = chain };
                }
            }

            public Task<StoredEntry?> GetAsync(string entryId, CancellationToken cancellationToken = default) => storage.GetAsync(entryId, cancellationToken);

            public Task<EntryPage> ListAsync(EntryFilter filter, CancellationToken cancellationToken = default) => storage.ListAsync(filter, cancellationToken);

            public Task<ArchivedRevision?> GetRevisionAsync(string revision, CancellationToken cancellationToken = default) => storage.GetRevisionAsync(revision, cancellationToken);

            public Task<IReadOnlyList<string>> ListRevisionsAsync(CancellationToken cancellationToken = default) => storage.ListRevisionsAsync(cancellationToken);
        }
    }
}
