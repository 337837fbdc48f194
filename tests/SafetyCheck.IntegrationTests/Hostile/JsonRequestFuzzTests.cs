using Google.Protobuf;
using Grpc.Core;
using SafetyCheck.Grpc;
using Microsoft.Extensions.Logging;
using SafetyCheck.IntegrationTests.Infrastructure;
using SafetyCheck.Protos.V1;
using Xunit.Abstractions;

namespace SafetyCheck.IntegrationTests.Hostile;

/// <summary>
/// Protobuf-JSON requests mutated from the seeds and from generated requests, read by the reader <c>eval</c> and the
/// rule cases use: each is either refused with a FormatException (<c>eval</c> exits 2 naming the problem; a field
/// given twice always is) or read, and what is read is sent to the in-memory host, which answers a decision,
/// INVALID_ARGUMENT or RESOURCE_EXHAUSTED, never INTERNAL or UNKNOWN. Any other exception from the reader is a failure.
/// </summary>
[Collection(RunAlone.Name)]
public sealed class JsonRequestFuzzTests(ITestOutputHelper output)
{
    private static readonly JsonFormatter Formatter = new(JsonFormatter.Settings.Default.WithFormatDefaultValues(false));

    [Fact]
    public async Task Check_MutatedJsonRequests_RefusedByTheReaderOrAnsweredWithoutInternalOrUnknown()
    {
        var seeds = Directory.GetFiles(TestPaths.Seeds, "*.json").Select(File.ReadAllText).ToArray();
        await using var host = await TestServerHost.StartAsync(TestPaths.Rules, args: ["--SafetyCheck:Limits:CallsPerSecondPerCaller=0"]);
        host.Logs.Retained = LogLevel.Warning;
        var run = new FuzzRun(output, "Check, protobuf JSON (seeds and generated), in-memory host");

        await run.RunAsync(async random =>
        {
            var source = random.Next(3) == 0 ? AsJson(GeneratedRequests.Generated(random)) ?? seeds[0] : seeds[random.Next(seeds.Length)];
            var (kind, json) = JsonMutator.Mutate(random, source);
            CheckRequest request;
            try
            {
                request = ProtoJson.ParseRequest(json);
            }
            catch (FormatException)
            {
                run.Record("refused by the reader/" + kind, StatusCode.InvalidArgument, allowed: true);
                return;
            }
            catch (Exception ex)
            {
                run.Record("reader threw/" + kind, StatusCode.Unknown, allowed: false, sent: $"{ex.GetType().Name}: {ex.Message} for {Shorten(json)}");
                return;
            }

            // A field given twice is refused by the reader: the parser alone would keep the last value.
            var status = await CallAsync(host, request);
            run.Record("read/" + kind, status, allowed: kind != "repeated-field" && status is StatusCode.OK or StatusCode.InvalidArgument or StatusCode.ResourceExhausted, sent: Shorten(json));
        });

        run.Finish();
        Assert.Contains(run.Keys, k => k.StartsWith("refused by the reader/", StringComparison.Ordinal));
        Assert.Contains(run.Keys, k => k.StartsWith("read/", StringComparison.Ordinal) && k.EndsWith(" OK", StringComparison.Ordinal));
        Assert.Contains(run.Keys, k => k.StartsWith("read/", StringComparison.Ordinal) && k.EndsWith(" InvalidArgument", StringComparison.Ordinal));
    }

    private static Task<StatusCode> CallAsync(TestServerHost host, CheckRequest request) =>
        FuzzRun.StatusOfAsync(() => host.Client.CheckAsync(request).ResponseAsync);

    /// <summary>The request as protobuf JSON; null when it holds what JSON cannot carry (a lone UTF-16 surrogate, a timestamp out of range).</summary>
    private static string? AsJson(CheckRequest request)
    {
        try
        {
            return Formatter.Format(request);
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException)
        {
            return null;
        }
    }

    private static string Shorten(string json) => json.Length <= 300 ? json : json[..300] + $"... ({json.Length} characters)";
}
