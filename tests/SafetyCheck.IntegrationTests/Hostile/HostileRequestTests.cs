using System.Buffers.Binary;
using Google.Protobuf;
using Grpc.Core;
using Microsoft.Extensions.Logging;
using SafetyCheck.IntegrationTests.Infrastructure;
using SafetyCheck.Protos.V1;
using Xunit.Abstractions;

namespace SafetyCheck.IntegrationTests.Hostile;

/// <summary>
/// Generated, oversized and mutated Check requests through the whole gRPC pipeline of the in-memory host
/// (authentication, limits, decoding, validation, evaluation, the audit trail): every answer is a decision,
/// INVALID_ARGUMENT or RESOURCE_EXHAUSTED, never INTERNAL or UNKNOWN; nothing is logged as an error; memory stays
/// bounded. <see cref="FuzzRun.Requests"/> requests (<see cref="FuzzRun.RequestsVariable"/>). Core's property test
/// covers validation and evaluation alone; this covers the wire.
/// </summary>
[Collection(RunAlone.Name)]
public sealed class HostileRequestTests(ITestOutputHelper output)
{
    private const int MaxMessage = 16 * 1024;
    private const string CheckPath = "/safetycheck.v1.SafetyCheck/Check";

    [Fact]
    public async Task Check_GeneratedOversizedAndMutatedRequests_NeverInternalOrUnknown()
    {
        await using var host = await TestServerHost.StartAsync(TestPaths.Rules, args:
        [
            $"--SafetyCheck:Limits:MaxReceiveMessageSize={MaxMessage}",
            "--SafetyCheck:Limits:CallsPerSecondPerCaller=0",
        ]);
        using var http = host.CreateHttpClient();
        host.Logs.Retained = LogLevel.Warning;
        var run = new FuzzRun(output, "Check, protobuf, in-memory host");

        await run.RunAsync(random => OneAsync(run, host, http, random));

        run.Finish();
        Assert.Contains("plausible OK", run.Keys);
        Assert.Contains("oversized ResourceExhausted", run.Keys);
        Assert.Contains(run.Keys, k => k.StartsWith("proto/", StringComparison.Ordinal) && k.EndsWith(" InvalidArgument", StringComparison.Ordinal));
        Assert.Contains(run.Keys, k => k.StartsWith("proto/", StringComparison.Ordinal) && k.EndsWith(" OK", StringComparison.Ordinal));
    }

    private static async Task OneAsync(FuzzRun run, TestServerHost host, HttpClient http, Random random)
    {
        switch (random.Next(6))
        {
            case 0:
                var generated = await CallAsync(host, GeneratedRequests.Generated(random));
                run.Record("generated", generated, allowed: generated is StatusCode.OK or StatusCode.InvalidArgument or StatusCode.ResourceExhausted);
                return;
            case 1:
                var plausible = await CallAsync(host, GeneratedRequests.Plausible(random));
                run.Record("plausible", plausible, allowed: plausible is StatusCode.OK);
                return;
            case 2:
                var big = GeneratedRequests.Plausible(random);
                big.Conditions.Add(new Condition { System = "http://hl7.org/fhir/sid/icd-10-cm", Code = "L20.9", Display = new string('x', MaxMessage + random.Next(1, 4 * MaxMessage)) });
                var oversized = await CallAsync(host, big);
                run.Record("oversized", oversized, allowed: oversized is StatusCode.ResourceExhausted);
                return;
            case 3:
                var (frameKind, frame) = MangledFrame(random, Source(random).ToByteArray());
                await SendAsync(run, http, "frame/" + frameKind, frame);
                return;
            default:
                var (kind, payload) = ProtobufMutator.Mutate(random, Source(random).ToByteArray());
                await SendAsync(run, http, "proto/" + kind, Frame(payload));
                return;
        }
    }

    private static CheckRequest Source(Random random) => random.Next(2) == 0 ? GeneratedRequests.Plausible(random) : GeneratedRequests.Generated(random);

    private static async Task SendAsync(FuzzRun run, HttpClient http, string kind, byte[] body)
    {
        var answer = await RawGrpcRequest.SendAsync(http, CheckPath, body);
        var status = answer.AsClientSeesIt;
        run.Record(kind, status, allowed: status is StatusCode.OK or StatusCode.InvalidArgument or StatusCode.ResourceExhausted, sent: FuzzRun.Describe(body));
    }

    private static Task<StatusCode> CallAsync(TestServerHost host, CheckRequest request) =>
        FuzzRun.StatusOfAsync(() => host.Client.CheckAsync(request).ResponseAsync);

    private static byte[] Frame(byte[] payload) => RawGrpcRequest.Frame((uint)payload.Length, payload);

    /// <summary>A length-prefixed frame whose header or extent is damaged: flag, declared length, cut, extra data, a second message.</summary>
    private static (string Kind, byte[] Frame) MangledFrame(Random random, byte[] payload)
    {
        var frame = Frame(payload);
        switch (random.Next(6))
        {
            case 0:
                frame[0] = (byte)random.Next(1, 256);
                return ("flag", frame);
            case 1:
                BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(1), (uint)random.NextInt64(0, (long)uint.MaxValue + 1));
                return ("declared-length", frame);
            case 2:
                return ("cut", frame[..random.Next(frame.Length)]);
            case 3:
                return ("extra-bytes", [.. frame, .. Enumerable.Range(0, random.Next(1, 64)).Select(_ => (byte)random.Next(256))]);
            case 4:
                return ("two-messages", [.. frame, .. frame]);
            default:
                return ("empty-body", []);
        }
    }
}
