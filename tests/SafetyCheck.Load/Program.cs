using Google.Protobuf;
using Grpc.Health.V1;
using Grpc.Net.Client;
using SafetyCheck.Protos.V1;

// Helpers for tests/load/check-load.sh (h2load sends raw gRPC frames and cannot read protobuf JSON):
//   frame REQUEST.json OUT.bin   a CheckRequest in protobuf JSON -> one length-prefixed gRPC message
//   frame-empty OUT.bin          an empty message (grpc.health.v1.HealthCheckRequest)
//   wait-serving URL SECONDS     polls grpc.health.v1.Health/Check until SERVING; exit 1 on timeout
//   receipts URL KEY REQUEST.json SECONDS CALLERS OUT.tsv
//                                calls Check from CALLERS concurrent callers for SECONDS (a caller stops at its first
//                                failure: the instance may be gone); writes "decision_id<TAB>sequence<TAB>entry_hash"
//                                for every answer and prints "answered N failed M" (tests/load/two-instances-postgres.sh)
//   ruleset URL KEY              prints the served revision and whether a newer one was refused (GetRuleset)
//   wait-ruleset URL KEY SECONDS served-other REVISION | refused
//                                polls GetRuleset every 20 ms until another revision than REVISION serves, or until
//                                a newer revision is refused; prints the revision then served; exit 1 on timeout
//                                (tests/load/reload-under-load.sh)
//   watch URL KEY REQUEST.json SECONDS INTERVAL_MS OUT.tsv
//                                for SECONDS, asks health (1 s deadline) and calls Check (one at a time) every INTERVAL_MS;
//                                writes "unix_ms<TAB>health|check<TAB>answer" per answer, the time it came back, the answer
//                                SERVING / NOT_SERVING or a gRPC status name (tests/hardening/audit-probes.sh)
return args switch
{
    ["ruleset", var url, var key] => await RulesetAsync(url, key),
    ["wait-ruleset", var url, var key, var seconds, "served-other", var revision] => await WaitRulesetAsync(
        url, key, int.Parse(seconds, System.Globalization.CultureInfo.InvariantCulture), r => r.Ref.Revision != revision),
    ["wait-ruleset", var url, var key, var seconds, "refused"] => await WaitRulesetAsync(
        url, key, int.Parse(seconds, System.Globalization.CultureInfo.InvariantCulture), r => r.NewerRevisionRefused),
    ["receipts", var url, var key, var request, var seconds, var callers, var output] => await ReceiptsAsync(
        url, key, JsonParser.Default.Parse<CheckRequest>(File.ReadAllText(request)),
        int.Parse(seconds, System.Globalization.CultureInfo.InvariantCulture), int.Parse(callers, System.Globalization.CultureInfo.InvariantCulture), output),
    ["frame", var request, var output] => Frame(JsonParser.Default.Parse<CheckRequest>(File.ReadAllText(request)), output),
    ["frame-empty", var output] => Frame(new HealthCheckRequest(), output),
    ["watch", var url, var key, var request, var seconds, var interval, var output] => await WatchAsync(
        url, key, JsonParser.Default.Parse<CheckRequest>(File.ReadAllText(request)),
        int.Parse(seconds, System.Globalization.CultureInfo.InvariantCulture), int.Parse(interval, System.Globalization.CultureInfo.InvariantCulture), output),
    ["wait-serving", var url, var seconds] => await WaitServingAsync(url, int.Parse(seconds, System.Globalization.CultureInfo.InvariantCulture)),
    _ => Usage(),
};

static int Frame(IMessage message, string output)
{
    var body = message.ToByteArray();
    var frame = new byte[5 + body.Length];
    System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(1), (uint)body.Length);
    body.CopyTo(frame, 5);
    File.WriteAllBytes(output, frame);
    return 0;
}

static async Task<int> WaitServingAsync(string url, int seconds)
{
    using var channel = GrpcChannel.ForAddress(url);
    var client = new Health.HealthClient(channel);
    var until = TimeProvider.System.GetTimestamp() + (seconds * TimeProvider.System.TimestampFrequency);
    while (TimeProvider.System.GetTimestamp() < until)
    {
        try
        {
            var reply = await client.CheckAsync(new HealthCheckRequest(), deadline: null);
            if (reply.Status == HealthCheckResponse.Types.ServingStatus.Serving)
            {
                return 0;
            }
        }
        catch (Grpc.Core.RpcException)
        {
            // not listening yet
        }

        await Task.Delay(200);
    }

    await Console.Error.WriteLineAsync($"not SERVING at {url} within {seconds} s");
    return 1;
}

static async Task<int> ReceiptsAsync(string url, string key, CheckRequest request, int seconds, int callers, string output)
{
    using var channel = GrpcChannel.ForAddress(url);
    var client = new SafetyCheck.Protos.V1.SafetyCheck.SafetyCheckClient(channel);
    var headers = new Grpc.Core.Metadata { { "authorization", "Bearer " + key } };
    var answers = new System.Collections.Concurrent.ConcurrentQueue<string>();
    var failed = 0;
    using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(seconds));
    await Task.WhenAll(Enumerable.Range(0, callers).Select(async _ =>
    {
        while (!stop.IsCancellationRequested)
        {
            try
            {
                var response = await client.CheckAsync(request, headers);
                answers.Enqueue($"{response.DecisionId}\t{response.Audit.Sequence}\t{response.Audit.EntryHash}");
            }
            catch (Grpc.Core.RpcException)
            {
                Interlocked.Increment(ref failed);
                return;
            }
        }
    }));
    await File.WriteAllLinesAsync(output, answers);
    Console.WriteLine($"answered {answers.Count} failed {failed}");
    return 0;
}

static async Task<int> RulesetAsync(string url, string key)
{
    using var channel = GrpcChannel.ForAddress(url);
    var ruleset = await new SafetyCheck.Protos.V1.SafetyCheck.SafetyCheckClient(channel)
        .GetRulesetAsync(new GetRulesetRequest(), new Grpc.Core.Metadata { { "authorization", "Bearer " + key } });
    Console.WriteLine($"{ruleset.Ref.Revision} {(ruleset.NewerRevisionRefused ? "refused" : "ok")}");
    return 0;
}

static async Task<int> WaitRulesetAsync(string url, string key, int seconds, Func<Ruleset, bool> condition)
{
    using var channel = GrpcChannel.ForAddress(url);
    var client = new SafetyCheck.Protos.V1.SafetyCheck.SafetyCheckClient(channel);
    var headers = new Grpc.Core.Metadata { { "authorization", "Bearer " + key } };
    var until = TimeProvider.System.GetTimestamp() + (seconds * TimeProvider.System.TimestampFrequency);
    while (TimeProvider.System.GetTimestamp() < until)
    {
        var ruleset = await client.GetRulesetAsync(new GetRulesetRequest(), headers);
        if (condition(ruleset))
        {
            Console.WriteLine(ruleset.Ref.Revision);
            return 0;
        }

        await Task.Delay(20);
    }

    await Console.Error.WriteLineAsync($"the awaited rule set state did not come within {seconds} s");
    return 1;
}

static async Task<int> WatchAsync(string url, string key, CheckRequest request, int seconds, int intervalMs, string output)
{
    using var channel = GrpcChannel.ForAddress(url);
    var health = new Health.HealthClient(channel);
    var check = new SafetyCheck.Protos.V1.SafetyCheck.SafetyCheckClient(channel);
    var headers = new Grpc.Core.Metadata { { "authorization", "Bearer " + key } };
    var clock = TimeProvider.System;
    var lines = new System.Collections.Concurrent.ConcurrentQueue<string>();
    void Note(string what, string answer) =>
        lines.Enqueue(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{clock.GetUtcNow().ToUnixTimeMilliseconds()}\t{what}\t{answer}"));

    using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(seconds));
    async Task Loop(Func<Task<string>> call, string what)
    {
        while (!stop.IsCancellationRequested)
        {
            string answer;
            try
            {
                answer = await call();
            }
            catch (Grpc.Core.RpcException ex)
            {
                answer = ex.StatusCode.ToString();
            }

            Note(what, answer);
            try
            {
                await Task.Delay(intervalMs, stop.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    await Task.WhenAll(
        Loop(async () => (await health.CheckAsync(new HealthCheckRequest(), deadline: clock.GetUtcNow().UtcDateTime.AddSeconds(1))).Status switch
        {
            HealthCheckResponse.Types.ServingStatus.Serving => "SERVING",
            HealthCheckResponse.Types.ServingStatus.NotServing => "NOT_SERVING",
            var other => other.ToString(),
        }, "health"),
        Loop(async () => { await check.CheckAsync(request, headers); return "OK"; }, "check"));
    await File.WriteAllLinesAsync(output, lines);
    return 0;
}

static int Usage()
{
    Console.Error.WriteLine("usage: frame REQUEST.json OUT.bin | frame-empty OUT.bin | wait-serving URL SECONDS | receipts URL KEY REQUEST.json SECONDS CALLERS OUT.tsv | watch URL KEY REQUEST.json SECONDS INTERVAL_MS OUT.tsv | ruleset URL KEY | wait-ruleset URL KEY SECONDS served-other REVISION|refused");
    return 2;
}
