using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Microsoft.Extensions.Logging;
using SafetyCheck.IntegrationTests.Infrastructure;
using SafetyCheck.Protos.V1;
using Xunit.Abstractions;
using AuditApi = SafetyCheck.Protos.V1.Audit;

namespace SafetyCheck.IntegrationTests.Hostile;

/// <summary>
/// Generated and mutated requests to <c>safetycheck.v1.Audit</c> on the in-memory host with a recorded trail:
/// decision ids near and far from real ones, ListDecisions filters and page tokens, VerifyLog checkpoints as text
/// (a validly signed one, mutated line by line) and public keys, and wire-level mutations of every method's request.
/// Every answer is OK, INVALID_ARGUMENT, NOT_FOUND or RESOURCE_EXHAUSTED, never INTERNAL or UNKNOWN (a checkpoint whose
/// <c>size:</c> is over the int64 range, and a public key on a curve the platform cannot load, included).
/// </summary>
[Collection(RunAlone.Name)]
public sealed class AuditRequestFuzzTests(ITestOutputHelper output)
{
    private static readonly string[] Methods = ["GetDecision", "ListDecisions", "VerifyLog", "ReplayDecision"];

    [Fact]
    public async Task Audit_GeneratedAndMutatedRequests_NeverInternalOrUnknown()
    {
        await using var host = await TestServerHost.StartAsync(TestPaths.Rules, args: ["--SafetyCheck:Limits:CallsPerSecondPerCaller=0"]);
        var trail = await RecordAsync(host);
        using var http = host.CreateHttpClient();
        var client = new AuditApi.AuditClient(host.Channel);
        host.Logs.Retained = LogLevel.Warning;
        var run = new FuzzRun(output, "Audit service, in-memory host");

        await run.RunAsync(async random =>
        {
            switch (random.Next(5))
            {
                case 0:
                    var id = DecisionId(random, trail);
                    Record(run, "GetDecision", await FuzzRun.StatusOfAsync(() => client.GetDecisionAsync(new GetDecisionRequest { DecisionId = id }).ResponseAsync), id);
                    return;
                case 1:
                    var list = ListRequest(random, trail);
                    Record(run, "ListDecisions", await FuzzRun.StatusOfAsync(() => client.ListDecisionsAsync(list).ResponseAsync), FuzzRun.Describe(list.ToByteArray()));
                    return;
                case 2:
                    var verify = VerifyRequest(random, trail);
                    var status = await FuzzRun.StatusOfAsync(() => client.VerifyLogAsync(verify).ResponseAsync);
                    Record(run, "VerifyLog", status, $"key {verify.CheckpointPublicKey} checkpoint {verify.Checkpoint}");
                    return;
                case 3:
                    var replay = DecisionId(random, trail);
                    Record(run, "ReplayDecision", await FuzzRun.StatusOfAsync(() => client.ReplayDecisionAsync(new ReplayDecisionRequest { DecisionId = replay }).ResponseAsync), replay);
                    return;
                default:
                    var method = GeneratedRequests.Pick(random, Methods);
                    var (kind, payload) = ProtobufMutator.Mutate(random, ValidRequest(method, random, trail).ToByteArray());
                    var answer = await RawGrpcRequest.SendAsync(http, $"/safetycheck.v1.Audit/{method}", RawGrpcRequest.Frame((uint)payload.Length, payload));
                    Record(run, $"{method} proto/{kind}", answer.AsClientSeesIt, FuzzRun.Describe(payload));
                    return;
            }
        });

        run.Finish();
        Assert.Contains(run.Keys, k => k.StartsWith("GetDecision ", StringComparison.Ordinal) && k.EndsWith(" OK", StringComparison.Ordinal));
        Assert.Contains(run.Keys, k => k.StartsWith("VerifyLog ", StringComparison.Ordinal) && k.EndsWith(" OK", StringComparison.Ordinal));
        Assert.Contains(run.Keys, k => k.StartsWith("ListDecisions ", StringComparison.Ordinal) && k.EndsWith(" InvalidArgument", StringComparison.Ordinal));
    }

    private static void Record(FuzzRun run, string kind, StatusCode status, string sent) =>
        run.Record(kind, status, status is StatusCode.OK or StatusCode.InvalidArgument or StatusCode.NotFound or StatusCode.ResourceExhausted, sent.Length <= 600 ? sent : sent[..600]);

    /// <summary>Six decisions recorded, the head after them, and a key with a checkpoint of that head signed by it.</summary>
    private static async Task<Trail> RecordAsync(TestServerHost host)
    {
        var responses = new List<CheckResponse>();
        await host.SettledAsync();
        for (var i = 0; i < 6; i++)
        {
            responses.Add(await host.Client.CheckAsync(SampleRequests.Infant($"audit-fuzz-{i}")));
            host.Clock.Advance(TimeSpan.FromMinutes(10));
        }

        var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var head = responses[^1].Audit;
        var checkpoint = SignCheckpoint(key, (long)head.Sequence, head.EntryHash, host.Clock.GetUtcNow());
        var page = await new AuditApi.AuditClient(host.Channel).ListDecisionsAsync(new ListDecisionsRequest { PageSize = 2 });
        return new Trail([.. responses.Select(r => r.DecisionId)], responses[0].Ruleset.Revision, checkpoint, key.ExportSubjectPublicKeyInfoPem(), page.NextPageToken);
    }

    /// <summary>A checkpoint in the documented text form (the audit README), signed as the service signs one.</summary>
    private static string SignCheckpoint(ECDsa key, long size, string head, DateTimeOffset time)
    {
        var body = $"SafetyCheck audit checkpoint v1\norigin: fuzz\nsize: {size}\nhead: {head}\ntime: {time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture)}\n";
        var signature = key.SignData(Encoding.UTF8.GetBytes(body), HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence);
        var keyId = Convert.ToHexStringLower(SHA256.HashData(key.ExportSubjectPublicKeyInfo()))[..16];
        return $"{body}\nsignature: ecdsa-p256-sha256 {keyId} {Convert.ToBase64String(signature)}\n";
    }

    private static string DecisionId(Random random, Trail trail)
    {
        var real = GeneratedRequests.Pick(random, trail.DecisionIds);
        return random.Next(8) switch
        {
            0 or 1 => real,
            2 => real.ToUpperInvariant(),
            3 => Mutate(random, real),
            4 => Guid.Parse(real[..14] + "4" + real[15..]).ToString(),
            5 => real + GeneratedRequests.Text(random, random.Next(1, 40)),
            6 => GeneratedRequests.Pick(random, ["", " ", "00000000-0000-7000-8000-000000000000", "ffffffff-ffff-7fff-bfff-ffffffffffff", "../../etc/passwd", "'; DROP TABLE decisions; --", new string('a', 100_000)]),
            _ => GeneratedRequests.Text(random, random.Next(0, 60)),
        };
    }

    private static ListDecisionsRequest ListRequest(Random random, Trail trail)
    {
        var request = new ListDecisionsRequest
        {
            Verdict = (Suitability)(random.Next(3) == 0 ? random.Next(int.MinValue, int.MaxValue) : random.Next(-2, 7)),
            RuleId = random.Next(3) switch
            {
                0 => "",
                1 => GeneratedRequests.Pick(random, ["fever", "eczema", "benefit-term-infant", "%", "_", "' OR 1=1 --", new string('r', 300)]),
                _ => GeneratedRequests.Text(random, random.Next(0, 80)),
            },
            Revision = random.Next(4) switch
            {
                0 => "",
                1 => trail.Revision,
                2 => Mutate(random, trail.Revision),
                _ => GeneratedRequests.Text(random, random.Next(0, 80)),
            },
            PageSize = random.Next(4) == 0 ? random.Next(int.MinValue, int.MaxValue) : random.Next(-2, 1100),
            PageToken = random.Next(4) switch
            {
                0 => "",
                1 => trail.PageToken,
                2 => Mutate(random, trail.PageToken),
                _ => random.Next(2) == 0 ? GeneratedRequests.Text(random, random.Next(0, 80)) : Convert.ToBase64String(RandomBytes(random, random.Next(0, 64))),
            },
        };
        if (random.Next(2) == 0)
        {
            request.StartTime = Time(random);
        }

        if (random.Next(2) == 0)
        {
            request.EndTime = Time(random);
        }

        return request;
    }

    private static Timestamp Time(Random random) => random.Next(3) switch
    {
        0 => new Timestamp { Seconds = random.NextInt64(long.MinValue, long.MaxValue), Nanos = random.Next(int.MinValue, int.MaxValue) },
        1 => new Timestamp { Seconds = GeneratedRequests.Pick(random, [-62_135_596_801L, -62_135_596_800L, 0L, 253_402_300_799L, 253_402_300_800L]), Nanos = GeneratedRequests.Pick(random, [-1, 0, 999_999_999, 1_000_000_000]) },
        _ => Timestamp.FromDateTimeOffset(TestServerHost.Now.AddMinutes(random.Next(-600, 600))),
    };

    private static VerifyLogRequest VerifyRequest(Random random, Trail trail)
    {
        var checkpoint = random.Next(6) switch
        {
            0 => "",
            1 => trail.Checkpoint,
            2 => Mutate(random, trail.Checkpoint),
            _ => MutateLine(random, trail.Checkpoint),
        };
        var key = random.Next(6) switch
        {
            0 => "",
            1 or 2 => trail.PublicKeyPem,
            3 => Mutate(random, trail.PublicKeyPem),
            4 => OtherKeyPem(random),
            _ => GeneratedRequests.Text(random, random.Next(0, 200)),
        };
        return new VerifyLogRequest { Checkpoint = checkpoint, CheckpointPublicKey = key };
    }

    /// <summary>One line of the checkpoint replaced by a near miss: the size, head, time, origin or signature.</summary>
    private static string MutateLine(Random random, string checkpoint)
    {
        var lines = checkpoint.Split('\n');
        var line = random.Next(7);
        lines[line] = line switch
        {
            0 => GeneratedRequests.Pick(random, ["SafetyCheck audit checkpoint v2", "safetycheck audit checkpoint v1", ""]),
            1 => "origin: " + GeneratedRequests.Text(random, random.Next(0, 100)),
            2 => "size: " + GeneratedRequests.Pick(random,
            [
                "0", "-1", "+5", " 5", "5 ", "1e3", "0x10", "٣", "9223372036854775807", "9223372036854775808", "99999999999999999999999999",
                "18446744073709551616", random.NextInt64().ToString(CultureInfo.InvariantCulture), "",
            ]),
            3 => "head: " + GeneratedRequests.Pick(random, ["", new string('0', 64), new string('A', 64), new string('g', 64), new string('a', 63), new string('a', 65)]),
            4 => "time: " + GeneratedRequests.Pick(random, ["", "2026-13-01T00:00:00.0000000Z", "0001-01-01T00:00:00.0000000Z", "9999-12-31T23:59:59.9999999Z", "2026-01-01T00:00:00Z", "now"]),
            5 => GeneratedRequests.Pick(random, ["", " ", "extra"]),
            _ => "signature: " + GeneratedRequests.Pick(random, ["", "ecdsa-p256-sha256", "ecdsa-p256-sha256 k !!!", "rsa k AAAA", "ecdsa-p256-sha256 k AAAA", "ecdsa-p256-sha256 k " + Convert.ToBase64String(RandomBytes(random, 72))]),
        };
        var text = string.Join('\n', lines);
        return random.Next(4) == 0 ? text.Replace("\n", "\r\n", StringComparison.Ordinal) : text;
    }

    private static string OtherKeyPem(Random random)
    {
        using AsymmetricAlgorithm key = random.Next(3) switch
        {
            0 => ECDsa.Create(ECCurve.NamedCurves.nistP384),
            1 => RSA.Create(1024),
            _ => ECDsa.Create(ECCurve.NamedCurves.nistP256),
        };
        return random.Next(2) == 0 ? key.ExportSubjectPublicKeyInfoPem() : key.ExportPkcs8PrivateKeyPem();
    }

    private static IMessage ValidRequest(string method, Random random, Trail trail) => method switch
    {
        "GetDecision" => new GetDecisionRequest { DecisionId = GeneratedRequests.Pick(random, trail.DecisionIds) },
        "ListDecisions" => new ListDecisionsRequest { PageSize = 3, RuleId = "fever", StartTime = Timestamp.FromDateTimeOffset(TestServerHost.Now) },
        "VerifyLog" => new VerifyLogRequest { Checkpoint = trail.Checkpoint, CheckpointPublicKey = trail.PublicKeyPem },
        _ => new ReplayDecisionRequest { DecisionId = GeneratedRequests.Pick(random, trail.DecisionIds) },
    };

    /// <summary>A few characters of <paramref name="text"/> changed, deleted or inserted.</summary>
    private static string Mutate(Random random, string text)
    {
        var chars = text.ToList();
        for (var n = random.Next(1, 4); n > 0; n--)
        {
            var at = random.Next(chars.Count + 1);
            switch (random.Next(3))
            {
                case 0 when at < chars.Count:
                    chars[at] = (char)random.Next(32, 127);
                    break;
                case 1 when at < chars.Count:
                    chars.RemoveAt(at);
                    break;
                default:
                    chars.Insert(at, (char)random.Next(0, 0x3000));
                    break;
            }
        }

        return new string([.. chars]);
    }

    private static byte[] RandomBytes(Random random, int count)
    {
        var bytes = new byte[count];
        random.NextBytes(bytes);
        return bytes;
    }

    private sealed record Trail(string[] DecisionIds, string Revision, string Checkpoint, string PublicKeyPem, string PageToken);
}
