using System.Text;
using Google.Protobuf;
using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;
using SafetyCheck.Audit.Chain;
using SafetyCheck.Audit.Records;
using SafetyCheck.Audit.Replay;
using SafetyCheck.Audit.Storage;
using SafetyCheck.Audit.Verification;
using SafetyCheck.IntegrationTests.Infrastructure;
using SafetyCheck.Protos.V1;

namespace SafetyCheck.IntegrationTests.Audit;

/// <summary>Issue 6 through the real gRPC pipeline: every Check is recorded before it is answered, and only then.</summary>
public sealed class CheckRecordingTests
{
    [Fact]
    public async Task Check_Decided_ReceiptMatchesTheStoredRecord()
    {
        await using var host = await TestServerHost.StartAsync(TestPaths.Rules);

        var response = await host.Client.CheckAsync(AuditRequests.Eczema());

        Assert.Equal(1UL, response.Audit.Sequence);
        var store = host.Services.GetRequiredService<IAuditReader>();
        var row = await store.GetAsync(response.DecisionId);
        Assert.NotNull(row);
        Assert.Equal((long)response.Audit.Sequence, row.Sequence);
        Assert.Equal(response.Audit.EntryHash, row.EntryHash);
        var record = row.ToRecord().Content;
        Assert.Equal(Core.Domain.Suitability.SuitableWithPrecautions, record.Verdict);
        Assert.Equal(response.Ruleset.Revision, record.Revision);
        Assert.Equal(TestServerHost.Now, record.RecordedAt);
        Assert.Equal("Europe/London", record.TimeZoneId);
        Assert.Equal("test-all-roles", record.Caller);
        Assert.Contains("eczema", record.Precautions);
        Assert.NotNull(await store.GetRevisionAsync(response.Ruleset.Revision));
    }

    [Fact]
    public async Task Check_ManyConcurrent_EveryReceiptIsInTheStoreAndTheChainVerifies()
    {
        await using var host = await TestServerHost.StartAsync(TestPaths.Rules);

        var responses = await Task.WhenAll(Enumerable.Range(0, 60).Select(i => host.Client.CheckAsync(
            (i % 3) switch { 0 => AuditRequests.Infant($"r{i}"), 1 => AuditRequests.Fever($"r{i}"), _ => AuditRequests.Eczema($"r{i}") }).ResponseAsync));

        Assert.Equal(Enumerable.Range(1, 60).Select(i => (ulong)i), responses.Select(r => r.Audit.Sequence).Order());
        var store = host.Services.GetRequiredService<IAuditReader>();
        foreach (var response in responses)
        {
            var row = await store.GetAsync(response.DecisionId);
            Assert.Equal(((long)response.Audit.Sequence, response.Audit.EntryHash), (row!.Sequence, row.EntryHash));
            Assert.Equal((int)response.Suitability, (int)row.ToRecord().Content.Verdict);
        }

        var report = await AuditVerifier.VerifyAsync(store);
        Assert.True(report.IsValid, report.Message);
        Assert.Equal(60, report.EntriesChecked);
    }

    [Fact]
    public async Task Check_EverySeed_RecordIsCompactAndReplays()
    {
        await using var host = await TestServerHost.StartAsync(TestPaths.Rules);
        var store = host.Services.GetRequiredService<IAuditReader>();
        var replayer = new DecisionReplayer(store);
        var seeds = Directory.EnumerateFiles(TestPaths.Seeds, "*.json").Order(StringComparer.Ordinal).ToList();

        var sizes = new Dictionary<string, int>();
        foreach (var seed in seeds)
        {
            var response = await host.Client.CheckAsync(JsonParser.Default.Parse<CheckRequest>(await File.ReadAllTextAsync(seed)));
            var row = (await store.GetAsync(response.DecisionId))!;
            sizes[Path.GetFileName(seed)] = Encoding.UTF8.GetByteCount(row.RecordJson);
            var replay = await replayer.ReplayAsync(row.ToRecord());
            Assert.True(replay.Matches, replay.Message);
        }

        // Issue 12: at most 1.5 KB (1536 bytes) per record for the seed requests.
        Assert.NotEmpty(sizes);
        Assert.All(sizes, s => Assert.True(s.Value <= 1536, $"{s.Key}: {s.Value} bytes"));
    }

    [Fact]
    public async Task Check_AuthenticatedCaller_IsNamedInTheRecord()
    {
        await using var host = await TestServerHost.StartAsync(TestPaths.Rules);
        var client = new SafetyCheck.Protos.V1.SafetyCheck.SafetyCheckClient(host.CreateChannel(TestCredentials.ClinicalAppKey));

        var response = await client.CheckAsync(AuditRequests.Infant());

        var row = await host.Services.GetRequiredService<IAuditReader>().GetAsync(response.DecisionId);
        Assert.Equal("test-clinical-app", row!.ToRecord().Content.Caller);
    }

    [Fact]
    public async Task Check_AuditFiles_HoldNoPatientRefAndNoBirthDate()
    {
        using var folder = new TempAuditFolder();
        var host = await TestServerHost.StartAsync(TestPaths.Rules, args: [folder.HostArgument]);
        string[] sent;
        await using (host)
        {
            var responses = new List<CheckResponse>();
            foreach (var request in new[] { AuditRequests.Infant(), AuditRequests.Fever(), AuditRequests.Eczema() })
            {
                responses.Add(await host.Client.CheckAsync(request));
            }

            sent = [AuditRequests.PatientRef, AuditRequests.BirthDate, AuditRequests.BirthDate.Replace("-", "", StringComparison.Ordinal)];
            Assert.All(host.Logs.Entries, e => Assert.DoesNotContain(sent, s => e.Message.Contains(s, StringComparison.Ordinal)));
            var record = (await host.Services.GetRequiredService<IAuditReader>().GetAsync(responses[0].DecisionId))!.ToRecord().Content;
            Assert.Matches("^[0-9a-f]{64}$", record.PatientPseudonym);
        }

        // Everything the service wrote, after it closed: the database, any WAL left, the key and the lock.
        var files = Directory.GetFiles(folder.Path);
        Assert.Contains(folder.DatabasePath, files);
        foreach (var file in files)
        {
            var text = Encoding.UTF8.GetString(await File.ReadAllBytesAsync(file));
            Assert.All(sent, s => Assert.DoesNotContain(s, text, StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task Check_StoreFails_UnavailableWithNoVerdict()
    {
        using var folder = new TempAuditFolder();
        var store = FailingAuditStorage.Open(folder);
        await using var host = await store.StartHostAsync();
        var before = await host.Client.CheckAsync(AuditRequests.Infant("before"));

        store.FailWrites = true;
        var call = host.Client.CheckAsync(AuditRequests.Fever("during"));
        var error = await Assert.ThrowsAsync<RpcException>(() => call.ResponseAsync);

        Assert.Equal(StatusCode.Unavailable, error.StatusCode);
        Assert.Contains("could not be recorded", error.Status.Detail, StringComparison.Ordinal);
        Assert.Equal(1, store.FailedAppends);
        Assert.DoesNotContain(host.Logs.Entries, e => e.Category.EndsWith("DecisionPipeline", StringComparison.Ordinal) && e.Message.Contains("NOT_SUITABLE", StringComparison.Ordinal));
        Assert.Single(host.Logs.Entries, e => e.Category.EndsWith("DecisionPipeline", StringComparison.Ordinal) && e.Message.Contains("could not be recorded", StringComparison.Ordinal));
        Assert.Equal(1, (await store.HeadAsync()).Size);

        store.FailWrites = false;
        var after = await host.Client.CheckAsync(AuditRequests.Eczema("after"));

        // The outage is recorded first, in the same commit: the chain says that decisions were refused in between.
        Assert.Equal(before.Audit.Sequence + 2, after.Audit.Sequence);
        var outage = await AuditScanOne(store, (long)before.Audit.Sequence + 1);
        Assert.Equal(EntryKinds.Outage, outage.Kind);
        Assert.Contains("\"failed_writes\":1,", outage.RecordJson, StringComparison.Ordinal);
    }

    private static async Task<StoredEntry> AuditScanOne(FailingAuditStorage chain, long sequence)
    {
        await foreach (var row in chain.ReadRangeAsync(sequence, 1))
        {
            return row;
        }

        throw new InvalidOperationException($"no entry {sequence}");
    }

    [Fact]
    public async Task Check_StoreClosed_UnavailableWithNoVerdict()
    {
        await using var host = await TestServerHost.StartAsync(TestPaths.Rules);
        host.Logs.Expect("SafetyCheck.Audit", "could not be recorded");
        await host.Client.CheckAsync(AuditRequests.Infant());

        // The writer stops (as it does on shutdown): its queue refuses new records.
        await host.Services.GetRequiredService<AuditChainWriter>().DisposeAsync();
        var error = await Assert.ThrowsAsync<RpcException>(() => host.Client.CheckAsync(AuditRequests.Fever()).ResponseAsync);

        Assert.Equal(StatusCode.Unavailable, error.StatusCode);
    }

    [Fact]
    public async Task Eval_RecordsNothing_AndHasNoReceipt()
    {
        var json = Google.Protobuf.JsonFormatter.Default.Format(AuditRequests.Infant());

        var run = await CliRun.InvokeAsync(["eval", "--rules", TestPaths.Rules, "-"], stdin: json);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.DoesNotContain("\"audit\"", run.Output, StringComparison.Ordinal);
    }
}
