using System.Security.Cryptography;
using System.Text;
using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;
using SafetyCheck.Audit;
using SafetyCheck.Audit.Checkpoints;
using SafetyCheck.Audit.Storage;
using SafetyCheck.IntegrationTests.Infrastructure;
using SafetyCheck.Protos.V1;
using ReplayStatus = SafetyCheck.Protos.V1.ReplayStatus;
using VerificationProblem = SafetyCheck.Protos.V1.VerificationProblem;
using AuditApi = SafetyCheck.Protos.V1.Audit;

namespace SafetyCheck.IntegrationTests.Audit;

/// <summary><c>safetycheck.v1.Audit</c> through the real gRPC pipeline, on a store that the same host writes.</summary>
public sealed class AuditServiceTests
{
    [Fact]
    public async Task GetDecision_Recorded_ReturnsTheRecordAsStoredAndHashed()
    {
        await using var host = await TestServerHost.StartAsync(TestPaths.Rules);
        var response = await host.Client.CheckAsync(AuditRequests.Eczema());

        var entry = await Client(host).GetDecisionAsync(new GetDecisionRequest { DecisionId = response.DecisionId });

        Assert.Equal((response.Audit.Sequence, response.Audit.EntryHash), (entry.Sequence, entry.EntryHash));
        Assert.Equal(entry.EntryHash, Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(entry.RecordJson))));
        Assert.Equal(AuditHead.GenesisHash, entry.PrevHash);
        Assert.Equal(Suitability.SuitableWithPrecautions, entry.Verdict);
        Assert.Equal(response.Ruleset, entry.Ruleset);
        Assert.Equal(response.Facts.ChronologicalAgeDays, entry.Facts.ChronologicalAgeDays);
        Assert.Equal(Timestamp.FromDateTimeOffset(TestServerHost.Now), entry.RecordedAt);
        Assert.Equal(response.AsOf, entry.AsOf);
        Assert.Equal("test-all-roles", entry.Caller);
        Assert.Matches("^[0-9a-f]{64}$", entry.Patient.Pseudonym);
        Assert.Contains(entry.Precautions, p => p.RuleId == "eczema" && p.Outcome == Suitability.SuitableWithPrecautions);
        Assert.Equal(host.Provider.Current!.RuleSet.Rules.Count, entry.Rules.Count);
        Assert.DoesNotContain(AuditRequests.PatientRef, entry.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(AuditRequests.BirthDate, entry.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetDecision_UnknownOrMalformedId_NotFoundOrInvalidArgument()
    {
        await using var host = await TestServerHost.StartAsync(TestPaths.Rules);

        var unknown = await Assert.ThrowsAsync<RpcException>(() => Client(host).GetDecisionAsync(new GetDecisionRequest { DecisionId = "01900000-0000-7000-8000-000000000001" }).ResponseAsync);
        var malformed = await Assert.ThrowsAsync<RpcException>(() => Client(host).GetDecisionAsync(new GetDecisionRequest { DecisionId = "42" }).ResponseAsync);

        Assert.Equal(StatusCode.NotFound, unknown.StatusCode);
        Assert.Equal(["decision_id"], Violations(malformed));
    }

    [Fact]
    public async Task ListDecisions_Filters_MatchTimeVerdictRuleAndRevision()
    {
        await using var host = await TestServerHost.StartAsync(TestPaths.Rules);
        await host.SettledAsync();
        var made = new List<CheckResponse>();
        foreach (var request in new[] { AuditRequests.Infant(), AuditRequests.Fever(), AuditRequests.Eczema(), AuditRequests.Infant("again") })
        {
            made.Add(await host.Client.CheckAsync(request));
            host.Clock.Advance(TimeSpan.FromHours(1));
        }

        var client = Client(host);
        var revision = made[0].Ruleset.Revision;
        Assert.Equal([2UL], await SequencesAsync(client, new ListDecisionsRequest { Verdict = Suitability.NotSuitable }));
        Assert.Equal([3UL], await SequencesAsync(client, new ListDecisionsRequest { RuleId = "eczema" }));
        Assert.Equal([2UL, 3UL], await SequencesAsync(client, new ListDecisionsRequest
        {
            StartTime = Timestamp.FromDateTimeOffset(TestServerHost.Now.AddHours(1)),
            EndTime = Timestamp.FromDateTimeOffset(TestServerHost.Now.AddHours(3)),
        }));
        Assert.Equal([1UL, 2UL, 3UL, 4UL], await SequencesAsync(client, new ListDecisionsRequest { Revision = revision }));
        Assert.Empty(await SequencesAsync(client, new ListDecisionsRequest { Revision = new string('a', 64) }));

        var first = await client.ListDecisionsAsync(new ListDecisionsRequest { PageSize = 3 });
        var second = await client.ListDecisionsAsync(new ListDecisionsRequest { PageSize = 3, PageToken = first.NextPageToken });
        Assert.Equal(made.Select(m => m.DecisionId), first.Decisions.Concat(second.Decisions).Select(d => d.DecisionId));
        Assert.NotEqual("", first.NextPageToken);
        Assert.Equal("", second.NextPageToken);
    }

    [Fact]
    public async Task ListDecisions_BoundsBetweenStoreTicks_StartInclusiveEndExclusiveToTheNanosecond()
    {
        await using var host = await TestServerHost.StartAsync(TestPaths.Rules);
        await host.SettledAsync();
        host.Clock.Advance(TimeSpan.FromTicks(3_867_959));
        var recordedAt = host.Clock.GetUtcNow();
        await host.Client.CheckAsync(AuditRequests.Fever());
        var client = Client(host);

        Assert.Equal([1UL], await SequencesAsync(client, new ListDecisionsRequest { StartTime = At(recordedAt, 0) }));
        Assert.Equal([1UL], await SequencesAsync(client, new ListDecisionsRequest { StartTime = At(recordedAt, -1) }));
        Assert.Empty(await SequencesAsync(client, new ListDecisionsRequest { StartTime = At(recordedAt, 1) }));
        Assert.Empty(await SequencesAsync(client, new ListDecisionsRequest { StartTime = At(recordedAt, 99) }));
        Assert.Equal([1UL], await SequencesAsync(client, new ListDecisionsRequest { EndTime = At(recordedAt, 1) }));
        Assert.Empty(await SequencesAsync(client, new ListDecisionsRequest { EndTime = At(recordedAt, 0) }));
        Assert.Empty(await SequencesAsync(client, new ListDecisionsRequest { EndTime = At(recordedAt, -1) }));
        Assert.Equal([1UL], await SequencesAsync(client, new ListDecisionsRequest { StartTime = At(recordedAt, -50), EndTime = At(recordedAt, 1) }));
        Assert.Empty(await SequencesAsync(client, new ListDecisionsRequest { StartTime = At(recordedAt, 1), EndTime = At(recordedAt, 50) }));
        var equal = await Assert.ThrowsAsync<RpcException>(() => client.ListDecisionsAsync(
            new ListDecisionsRequest { StartTime = At(recordedAt, 1), EndTime = At(recordedAt, 1) }).ResponseAsync);
        Assert.Equal(["end_time"], Violations(equal));
    }

    [Fact]
    public void ListDecisions_LastNanosecondOfTheTimestampRange_Accepted()
    {
        var last = new Timestamp { Seconds = 253_402_300_799, Nanos = 999_999_999 };

        var filter = DecisionFilterReader.Read(new ListDecisionsRequest { StartTime = last, EndTime = last }, out var violations);
        var open = DecisionFilterReader.Read(new ListDecisionsRequest { EndTime = last }, out _);

        Assert.Null(filter);
        Assert.Equal(["end_time"], violations.Select(v => v.Field));
        Assert.Equal(DateTimeOffset.MaxValue, open!.To);
    }

    [Fact]
    public async Task ListDecisions_PageTokenWithTheSameFilter_PagesThroughAnotherFilterRefusedNamingPageToken()
    {
        await using var host = await TestServerHost.StartAsync(TestPaths.Rules);
        await host.SettledAsync();
        foreach (var request in new[] { AuditRequests.Fever(), AuditRequests.Eczema(), AuditRequests.Fever("b"), AuditRequests.Eczema("b"), AuditRequests.Fever("c") })
        {
            await host.Client.CheckAsync(request);
        }

        var client = Client(host);
        var notSuitable = new ListDecisionsRequest { Verdict = Suitability.NotSuitable, PageSize = 2 };
        var first = await client.ListDecisionsAsync(notSuitable);
        var second = await client.ListDecisionsAsync(new ListDecisionsRequest(notSuitable) { PageToken = first.NextPageToken, PageSize = 5 });
        var otherVerdict = await Assert.ThrowsAsync<RpcException>(() => client.ListDecisionsAsync(
            new ListDecisionsRequest { Verdict = Suitability.SuitableWithPrecautions, PageSize = 2, PageToken = first.NextPageToken }).ResponseAsync);
        var noFilter = await Assert.ThrowsAsync<RpcException>(() => client.ListDecisionsAsync(
            new ListDecisionsRequest { PageSize = 2, PageToken = first.NextPageToken }).ResponseAsync);
        var storeForm = await Assert.ThrowsAsync<RpcException>(() => client.ListDecisionsAsync(
            new ListDecisionsRequest { PageToken = Convert.ToBase64String(Encoding.UTF8.GetBytes("after:2")) }).ResponseAsync);

        Assert.Equal([1UL, 3UL, 5UL], first.Decisions.Concat(second.Decisions).Select(d => d.Sequence));
        Assert.Equal("", second.NextPageToken);
        Assert.Equal(["page_token"], Violations(otherVerdict));
        Assert.Equal(["page_token"], Violations(noFilter));
        Assert.Contains("another filter", Descriptions(otherVerdict).Single(), StringComparison.Ordinal);
        Assert.Equal(["page_token"], Violations(storeForm));
        Assert.Equal([DecisionFilterReader.PageTokenRefused], Descriptions(storeForm));
    }

    [Fact]
    public async Task ListDecisions_BadFilters_InvalidArgumentNamingEveryField()
    {
        await using var host = await TestServerHost.StartAsync(TestPaths.Rules);
        var request = new ListDecisionsRequest
        {
            StartTime = Timestamp.FromDateTimeOffset(TestServerHost.Now),
            EndTime = Timestamp.FromDateTimeOffset(TestServerHost.Now.AddDays(-1)),
            Verdict = (Suitability)42,
            Revision = "XYZ",
            PageSize = -1,
        };

        var error = await Assert.ThrowsAsync<RpcException>(() => Client(host).ListDecisionsAsync(request).ResponseAsync);
        var badTime = await Assert.ThrowsAsync<RpcException>(() => Client(host).ListDecisionsAsync(
            new ListDecisionsRequest { StartTime = new Timestamp { Seconds = long.MaxValue } }).ResponseAsync);
        var badToken = await Assert.ThrowsAsync<RpcException>(() => Client(host).ListDecisionsAsync(
            new ListDecisionsRequest { PageToken = "not-a-token" }).ResponseAsync);

        Assert.Equal(["end_time", "verdict", "revision", "page_size"], Violations(error));
        Assert.Equal(["start_time"], Violations(badTime));
        Assert.Equal(["page_token"], Violations(badToken));
    }

    [Fact]
    public async Task ListDecisions_ControlCharacterInRuleIdOrPageToken_InvalidArgumentNamingTheField()
    {
        await using var host = await TestServerHost.StartAsync(TestPaths.Rules);
        await host.Client.CheckAsync(AuditRequests.Fever());

        var nul = await Assert.ThrowsAsync<RpcException>(() => Client(host).ListDecisionsAsync(new ListDecisionsRequest { RuleId = "fe\u0000ver" }).ResponseAsync);
        var tab = await Assert.ThrowsAsync<RpcException>(() => Client(host).ListDecisionsAsync(new ListDecisionsRequest { RuleId = "fever\t" }).ResponseAsync);
        var token = await Assert.ThrowsAsync<RpcException>(() => Client(host).ListDecisionsAsync(new ListDecisionsRequest { PageToken = "c:no\u0000dea:1" }).ResponseAsync);
        var both = await Assert.ThrowsAsync<RpcException>(() => Client(host).ListDecisionsAsync(new ListDecisionsRequest { RuleId = "fe\u0000ver", PageToken = "c:no\u0000dea:1" }).ResponseAsync);

        Assert.Equal(["rule_id"], Violations(nul));
        var badRequest = Assert.Single(nul.GetRpcStatus()!.Details.Select(d => d.TryUnpack<BadRequest>(out var b) ? b : null).OfType<BadRequest>());
        Assert.Equal("must not contain control characters", Assert.Single(badRequest.FieldViolations).Description);
        Assert.Equal(["rule_id"], Violations(tab));
        Assert.Equal(["page_token"], Violations(token));
        Assert.Equal(["rule_id", "page_token"], Violations(both));
        Assert.Equal([1UL], await SequencesAsync(Client(host), new ListDecisionsRequest { RuleId = "fever" }));
    }

    [Fact]
    public void ListDecisions_TokenOfAnyStoreWithAControlCharacter_RefusedBeforeTheStoreIsAsked()
    {
        // The PostgreSQL store's token forms: that store would pass the chain to the database, which refuses NUL.
        foreach (var token in (string[])["c:no\u0000dea:1", "n:2026-03-02T10:00:00.0000000Z|no\u0000dea|1", "c:node-a\u0085:1"])
        {
            var filter = DecisionFilterReader.Read(new ListDecisionsRequest { PageToken = token }, out var violations);

            Assert.Null(filter);
            Assert.Equal(["page_token"], violations.Select(v => v.Field));
        }

        Assert.NotNull(DecisionFilterReader.Read(new ListDecisionsRequest { PageToken = "c:node-a:1" }, out _));
    }

    [Fact]
    public async Task VerifyLog_IntactThenEdited_NamesTheFirstBadSequence()
    {
        await using var host = await TestServerHost.StartAsync(TestPaths.Rules);
        for (var i = 0; i < 5; i++)
        {
            await host.Client.CheckAsync(AuditRequests.Infant($"r{i}"));
        }

        var intact = await Client(host).VerifyLogAsync(new VerifyLogRequest());
        AuditTampering.EditCaller(DatabasePath(host), 3);
        var edited = await Client(host).VerifyLogAsync(new VerifyLogRequest());

        Assert.True(intact.Ok, intact.Message);
        Assert.Equal(5UL, intact.EntriesChecked);
        Assert.False(intact.HasFirstBadSequence);
        Assert.False(edited.Ok);
        Assert.Equal(VerificationProblem.EntryHashMismatch, edited.Problem);
        Assert.Equal(3UL, edited.FirstBadSequence);
        Assert.Equal(2UL, edited.EntriesChecked);
        Assert.Contains("sequence 3", edited.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task VerifyLog_TruncatedAfterACheckpoint_ReportsTheTruncation()
    {
        await using var host = await TestServerHost.StartAsync(TestPaths.Rules);
        for (var i = 0; i < 6; i++)
        {
            await host.Client.CheckAsync(AuditRequests.Fever($"r{i}"));
        }

        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var store = host.Services.GetRequiredService<IAuditReader>();
        var checkpoint = Checkpoint.Create("test", await store.HeadAsync(), TestServerHost.Now, key).ToText();
        var publicKey = CheckpointKeyFile.ExportPublicKeyPem(key);

        var before = await Client(host).VerifyLogAsync(new VerifyLogRequest { Checkpoint = checkpoint, CheckpointPublicKey = publicKey });
        AuditTampering.Execute(DatabasePath(host), "DELETE FROM entries WHERE sequence > 4;");
        var chainOnly = await Client(host).VerifyLogAsync(new VerifyLogRequest());
        var after = await Client(host).VerifyLogAsync(new VerifyLogRequest { Checkpoint = checkpoint, CheckpointPublicKey = publicKey });

        Assert.True(before.Ok, before.Message);
        Assert.True(chainOnly.Ok, "a hash chain alone cannot see a cut tail: " + chainOnly.Message);
        Assert.False(after.Ok);
        Assert.Equal(VerificationProblem.TruncatedTail, after.Problem);
        Assert.Equal(5UL, after.FirstBadSequence);
    }

    [Fact]
    public async Task VerifyLog_BadCheckpointOrNoKey_InvalidArgument()
    {
        await using var host = await TestServerHost.StartAsync(TestPaths.Rules);
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var checkpoint = Checkpoint.Create("test", AuditHead.Empty, TestServerHost.Now, key).ToText();

        var garbage = await Assert.ThrowsAsync<RpcException>(() => Client(host).VerifyLogAsync(
            new VerifyLogRequest { Checkpoint = "not a checkpoint", CheckpointPublicKey = "not a key" }).ResponseAsync);
        var noKey = await Assert.ThrowsAsync<RpcException>(() => Client(host).VerifyLogAsync(new VerifyLogRequest { Checkpoint = checkpoint }).ResponseAsync);
        using var otherKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var wrongKey = await Client(host).VerifyLogAsync(new VerifyLogRequest { Checkpoint = checkpoint, CheckpointPublicKey = CheckpointKeyFile.ExportPublicKeyPem(otherKey) });

        Assert.Equal(["checkpoint", "checkpoint_public_key"], Violations(garbage));
        Assert.Equal(["checkpoint_public_key"], Violations(noKey));
        Assert.Equal(VerificationProblem.CheckpointSignatureInvalid, wrongKey.Problem);
    }

    [Fact]
    public async Task VerifyLog_GarbageCheckpoint_SaysWhatItIsNotOnce()
    {
        await using var host = await TestServerHost.StartAsync(TestPaths.Rules);
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);

        var error = await Assert.ThrowsAsync<RpcException>(() => Client(host).VerifyLogAsync(
            new VerifyLogRequest { Checkpoint = "garbage", CheckpointPublicKey = CheckpointKeyFile.ExportPublicKeyPem(key) }).ResponseAsync);

        Assert.Equal(["checkpoint"], Violations(error));
        var description = Assert.Single(Descriptions(error));
        Assert.StartsWith("not a SafetyCheck audit checkpoint: the first line", description, StringComparison.Ordinal);
        Assert.Equal(1, description.Split("not a SafetyCheck audit checkpoint").Length - 1);
    }

    [Theory]
    [InlineData("pkcs8")]
    [InlineData("sec1")]
    public async Task VerifyLog_PrivateKeyAsPublicKey_RefusedWithoutEchoingTheKey(string form)
    {
        await using var host = await TestServerHost.StartAsync(TestPaths.Rules);
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var checkpoint = Checkpoint.Create("test", AuditHead.Empty, TestServerHost.Now, key).ToText();
        var pem = form == "pkcs8" ? key.ExportPkcs8PrivateKeyPem() : key.ExportECPrivateKeyPem();

        var error = await Assert.ThrowsAsync<RpcException>(() => Client(host).VerifyLogAsync(
            new VerifyLogRequest { Checkpoint = checkpoint, CheckpointPublicKey = pem }).ResponseAsync);

        Assert.Equal(["checkpoint_public_key"], Violations(error));
        Assert.Equal([AuditService.PrivateKeyRefused], Descriptions(error));
        var body = pem.Split('\n')[1];
        Assert.DoesNotContain(body, error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task VerifyLog_PublicKeyWithoutCheckpoint_InvalidArgumentNamingTheKey()
    {
        await using var host = await TestServerHost.StartAsync(TestPaths.Rules);
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);

        var error = await Assert.ThrowsAsync<RpcException>(() => Client(host).VerifyLogAsync(
            new VerifyLogRequest { CheckpointPublicKey = CheckpointKeyFile.ExportPublicKeyPem(key) }).ResponseAsync);

        Assert.Equal(["checkpoint_public_key"], Violations(error));
        Assert.StartsWith("given without checkpoint", Assert.Single(Descriptions(error)), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("9223372036854775808")]
    [InlineData("99999999999999999999999999999999")]
    [InlineData("-1")]
    public async Task VerifyLog_CheckpointSizeOutOfRange_InvalidArgumentNamingTheCheckpoint(string size)
    {
        await using var host = await TestServerHost.StartAsync(TestPaths.Rules);
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var checkpoint = Checkpoint.Create("test", AuditHead.Empty, TestServerHost.Now, key).ToText().Replace("size: 0", "size: " + size, StringComparison.Ordinal);

        var error = await Assert.ThrowsAsync<RpcException>(() => Client(host).VerifyLogAsync(
            new VerifyLogRequest { Checkpoint = checkpoint, CheckpointPublicKey = CheckpointKeyFile.ExportPublicKeyPem(key) }).ResponseAsync);

        Assert.Equal(["checkpoint"], Violations(error));
    }

    [Fact]
    public async Task VerifyLog_EditedArchivedRuleFile_NotOkNamingTheRevisionAndTheFile()
    {
        await using var host = await TestServerHost.StartAsync(TestPaths.Rules);
        var response = await host.Client.CheckAsync(AuditRequests.Eczema());
        AuditTampering.Execute(
            DatabasePath(host),
            "UPDATE revision_files SET content = CAST(replace(CAST(content AS TEXT), 'fragrance-free', 'scented') AS BLOB) WHERE path = 'infection-and-skin.json';");

        var report = await Client(host).VerifyLogAsync(new VerifyLogRequest());

        Assert.False(report.Ok);
        Assert.Equal(VerificationProblem.ArchivedRevisionAltered, report.Problem);
        Assert.Equal(response.Ruleset.Revision, report.BadRevision);
        Assert.Equal("infection-and-skin.json", report.BadFile);
        Assert.Equal(1UL, report.EntriesChecked);
    }

    [Fact]
    public async Task ReplayDecision_Recorded_MatchesOnItsRevision()
    {
        await using var host = await TestServerHost.StartAsync(TestPaths.Rules);
        var response = await host.Client.CheckAsync(AuditRequests.Fever());

        var replay = await Client(host).ReplayDecisionAsync(new ReplayDecisionRequest { DecisionId = response.DecisionId });
        var unknown = await Assert.ThrowsAsync<RpcException>(() => Client(host).ReplayDecisionAsync(
            new ReplayDecisionRequest { DecisionId = "01900000-0000-7000-8000-000000000001" }).ResponseAsync);

        Assert.True(replay.Match, replay.Message);
        Assert.Equal(ReplayStatus.Match, replay.Status);
        Assert.Equal(response.Ruleset.Revision, replay.Revision);
        Assert.Equal(response.Audit.Sequence, replay.Sequence);
        Assert.True(replay.RecordIntact);
        Assert.Empty(replay.Differences);
        Assert.Equal(StatusCode.NotFound, unknown.StatusCode);
    }

    [Fact]
    public async Task ReplayDecision_ArchiveChangedWhileServing_IsARevisionMismatchAtTheNextReplay()
    {
        await using var host = await TestServerHost.StartAsync(TestPaths.Rules);
        var response = await host.Client.CheckAsync(AuditRequests.Fever());
        var before = await Client(host).ReplayDecisionAsync(new ReplayDecisionRequest { DecisionId = response.DecisionId });

        AuditTampering.Execute(DatabasePath(host),
            "UPDATE revision_files SET content = CAST(replace(CAST(content AS TEXT), 'fragrance-free emollient', 'scented lotion') AS BLOB) WHERE path = 'infection-and-skin.json';");
        var after = await Client(host).ReplayDecisionAsync(new ReplayDecisionRequest { DecisionId = response.DecisionId });

        Assert.Equal(ReplayStatus.Match, before.Status);
        Assert.Equal(ReplayStatus.RevisionMismatch, after.Status);
        Assert.False(after.Match);
        Assert.Contains("the archive was changed", after.Message, StringComparison.Ordinal);
    }

    private static AuditApi.AuditClient Client(TestServerHost host) => new(host.Channel);

    private static string DatabasePath(TestServerHost host) => host.Services.GetRequiredService<AuditPaths>().DatabasePath;

    private static async Task<List<ulong>> SequencesAsync(AuditApi.AuditClient client, ListDecisionsRequest request) =>
        [.. (await client.ListDecisionsAsync(request)).Decisions.Select(d => d.Sequence)];

    private static List<string> Descriptions(RpcException error)
    {
        var badRequest = Assert.Single(error.GetRpcStatus()!.Details.Select(d => d.TryUnpack<BadRequest>(out var b) ? b : null).OfType<BadRequest>());
        return [.. badRequest.FieldViolations.Select(v => v.Description)];
    }

    private static List<string> Violations(RpcException error)
    {
        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        var status = error.GetRpcStatus();
        Assert.NotNull(status);
        var badRequest = Assert.Single(status.Details.Select(d => d.TryUnpack<BadRequest>(out var b) ? b : null).OfType<BadRequest>());
        return [.. badRequest.FieldViolations.Select(v => v.Field)];
    }

    /// <summary>The instant <paramref name="nanos"/> nanoseconds from <paramref name="instant"/>, as a Timestamp.</summary>
    private static Timestamp At(DateTimeOffset instant, int nanos)
    {
        var time = Timestamp.FromDateTimeOffset(instant);
        var total = time.Nanos + nanos;
        var carry = total < 0 ? -1 : total / 1_000_000_000;
        return new Timestamp { Seconds = time.Seconds + carry, Nanos = total - (carry * 1_000_000_000) };
    }
}
