using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using SafetyCheck.Audit.Storage;
using SafetyCheck.CdsHooks;
using SafetyCheck.IntegrationTests.Infrastructure;
using SafetyCheck.Telemetry;
using static SafetyCheck.IntegrationTests.CdsHooks.SyntheticFhir;

namespace SafetyCheck.IntegrationTests.CdsHooks;

/// <summary>
/// Each EHR (token issuer) has its own calls per second and its own hook calls in progress; a call over either gets 429
/// with Retry-After, is neither decided nor recorded, is counted in the metrics, and is logged once per interval.
/// </summary>
public sealed class CdsCallLimiterTests
{
    private const string Service = "/cds-services/massage-safety-appointment";
    private const string SecondIssuer = "https://second-ehr.example.test/";
    private const string Rejected = "safetycheck.cds.calls.rejected";

    [Fact]
    public async Task HookCall_OverTheIssuersRate_429WithRetryAfter_NothingRecorded_OtherIssuerUnaffected()
    {
        using var second = new TestEhr(TestServerHost.Now, keyId: "second-key", issuer: SecondIssuer);
        await using var cds = await CdsHooksTestHost.StartAsync(args: [.. second.IssuerArguments(1), "--SafetyCheck:CdsHooks:CallsPerSecondPerIssuer=1", "--SafetyCheck:CdsHooks:CallBurstPerIssuer=2"]);
        using var counts = new MeterCounts(cds.Host.Services.GetRequiredService<SafetyCheckMetrics>().Meter);

        var watch = Stopwatch.StartNew();
        var answers = new List<Answer>();
        for (var i = 0; i < 10; i++)
        {
            answers.Add(await SendAsync(cds, cds.Ehr, Service, CdsHooksCalls.Toddler()));
        }

        var seconds = (int)Math.Ceiling(watch.Elapsed.TotalSeconds);
        var other = await SendAsync(cds, second, Service, CdsHooksCalls.Toddler());
        var reportedAtOnce = Reports(cds);
        await cds.Host.SettledAsync();
        cds.Host.Clock.Advance(CdsCallLimiter.LogInterval);
        var reported = Reports(cds);

        // The bucket holds 2 and refills 1 a second, so at most 1 more per second the loop took.
        var decided = answers.Count(a => a.Status == HttpStatusCode.OK);
        var refused = answers.Where(a => a.Status == HttpStatusCode.TooManyRequests).ToArray();
        Assert.Equal(answers.Count, decided + refused.Length);
        Assert.InRange(decided, 2, 2 + seconds);
        Assert.True(refused.Length >= 2, $"{refused.Length} calls refused");
        Assert.All(refused, a =>
        {
            Assert.InRange(a.RetryAfterSeconds!.Value, 1, 2);
            Assert.Equal("rate_limited", (string?)a.Body["error"]);
            Assert.Contains("the limit is 1 calls per second (bursts of 2)", (string?)a.Body["reason"], StringComparison.Ordinal);
            Assert.False(a.Body.ContainsKey("cards"));
        });
        Assert.Equal(HttpStatusCode.OK, other.Status);
        Assert.Equal(decided + 1, (await cds.Audit.HeadAsync()).Size);
        Assert.Equal(refused.Length, counts.Of(Rejected, "issuer", TestEhr.Issuer));
        Assert.Equal(refused.Length, counts.Of(Rejected, "reason", "RATE_LIMITED"));
        Assert.Equal(0, counts.Of(Rejected, "issuer", SecondIssuer));
        Assert.Contains($"refused 1 calls with HTTP 429 since the last report, the latest from {TestEhr.Issuer} (RATE_LIMITED)", Assert.Single(reportedAtOnce), StringComparison.Ordinal);
        Assert.Equal(2, reported.Count);
        Assert.Contains($"refused {refused.Length - 1} calls", reported[1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task HookCall_FloodOverTheRate_LeavesTheSharedReplayCacheToOtherIssuers()
    {
        using var second = new TestEhr(TestServerHost.Now, keyId: "second-key", issuer: SecondIssuer);
        await using var cds = await CdsHooksTestHost.StartAsync(args:
        [
            .. second.IssuerArguments(1),
            "--SafetyCheck:CdsHooks:CallsPerSecondPerIssuer=1",
            "--SafetyCheck:CdsHooks:CallBurstPerIssuer=1",
            "--SafetyCheck:CdsHooks:ReplayCacheSize=100",
        ]);

        // 150 verified tokens, more than the replay cache holds: those of refused calls are not kept.
        var flood = new List<HttpStatusCode>();
        for (var i = 0; i < 150; i++)
        {
            flood.Add((await SendAsync(cds, cds.Ehr, Service, CdsHooksCalls.Toddler())).Status);
        }

        var other = await SendAsync(cds, second, Service, CdsHooksCalls.Toddler());

        Assert.Contains(HttpStatusCode.OK, flood);
        Assert.True(flood.Count(s => s == HttpStatusCode.TooManyRequests) > 100, string.Join(", ", flood));
        Assert.Equal(HttpStatusCode.OK, other.Status);
        Assert.True(cds.Host.Services.GetRequiredService<TokenReplayCache>().Count < 100);
    }

    [Fact]
    public async Task FeedbackAndDiscovery_CountAgainstTheSameRate_RefusedFeedbackNotRecorded()
    {
        await using var cds = await CdsHooksTestHost.StartAsync(args: ["--SafetyCheck:CdsHooks:CallsPerSecondPerIssuer=1", "--SafetyCheck:CdsHooks:CallBurstPerIssuer=1"]);
        var call = await SendAsync(cds, cds.Ehr, Service, CdsHooksCalls.Toddler());
        var card = (string)call.Body["cards"]![0]!["uuid"]!;

        var feedback = new List<Answer>();
        var discovery = new List<Answer>();
        for (var i = 0; i < 5; i++)
        {
            feedback.Add(await SendAsync(cds, cds.Ehr, Service + "/feedback", JsonNode.Parse($$"""{"feedback":[{"card":"{{card}}","outcome":"accepted","outcomeTimestamp":"2025-06-01T09:29:40Z"}]}""")));
            discovery.Add(await SendAsync(cds, cds.Ehr, "/cds-services", body: null));
        }

        Assert.Equal(HttpStatusCode.OK, call.Status);
        Assert.Contains(feedback, a => a.Status == HttpStatusCode.TooManyRequests);
        Assert.All(feedback, a => Assert.Contains(a.Status, new[] { HttpStatusCode.OK, HttpStatusCode.TooManyRequests }));
        var recorded = await cds.Audit.ListAsync(new EntryFilter { Kind = EntryKinds.CardFeedback });
        Assert.Equal(feedback.Count(a => a.Status == HttpStatusCode.OK), recorded.Items.Count);
        Assert.Contains(discovery, a => a.Status == HttpStatusCode.TooManyRequests);
        Assert.All(discovery, a => Assert.Contains(a.Status, new[] { HttpStatusCode.OK, HttpStatusCode.TooManyRequests }));
    }

    [Fact]
    public async Task HookCall_UnauthenticatedCallsRefusedBeforeTheyCount_RefusalReadableFromABrowser()
    {
        const string Origin = "https://ehr.example.test";
        await using var cds = await CdsHooksTestHost.StartAsync(args:
        [
            "--SafetyCheck:CdsHooks:CallsPerSecondPerIssuer=1",
            "--SafetyCheck:CdsHooks:CallBurstPerIssuer=1",
            $"--SafetyCheck:CdsHooks:AllowedOrigins:0={Origin}",
        ]);

        var unsigned = new List<HttpStatusCode>();
        for (var i = 0; i < 5; i++)
        {
            unsigned.Add((await SendAsync(cds, cds.Ehr, Service, CdsHooksCalls.Toddler(), token: "")).Status);
        }

        var first = await SendAsync(cds, cds.Ehr, Service, CdsHooksCalls.Toddler(), origin: Origin);
        var second = await SendAsync(cds, cds.Ehr, Service, CdsHooksCalls.Toddler(), origin: Origin);

        Assert.All(unsigned, s => Assert.Equal(HttpStatusCode.Unauthorized, s));
        Assert.Equal(HttpStatusCode.OK, first.Status);
        Assert.Equal(HttpStatusCode.TooManyRequests, second.Status);
        Assert.Equal(Origin, second.Headers.GetValues("Access-Control-Allow-Origin").Single());
        Assert.Contains("Retry-After", second.Headers.GetValues("Access-Control-Expose-Headers").Single(), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task HookCall_IssuersSlotsTaken_429AtOnce_CallsInProgressComplete_OtherIssuerUnaffected()
    {
        var hold = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var server = await FixtureFhirServer.StartAsync(Patient(CdsHooksCalls.ToddlerId, "2023-08-25"), [Condition("eczema", CdsHooksCalls.ToddlerId, Snomed, "24079001")]);
        server.Hold = hold.Task;
        using var second = new TestEhr(TestServerHost.Now, keyId: "second-key", issuer: SecondIssuer);
        await using var cds = await CdsHooksTestHost.StartAsync(args: [server.AllowedArgument, .. second.IssuerArguments(1), "--SafetyCheck:CdsHooks:MaxConcurrentCallsPerIssuer=2", "--SafetyCheck:CdsHooks:CallsPerSecondPerIssuer=0"]);
        using var counts = new MeterCounts(cds.Host.Services.GetRequiredService<SafetyCheckMetrics>().Meter);

        var inProgress = new[] { SendAsync(cds, cds.Ehr, Service, FetchingCall(server)), SendAsync(cds, cds.Ehr, Service, FetchingCall(server)) };
        await WaitUntilAsync(() => server.Requests.Count >= 2);
        var beyond = await SendAsync(cds, cds.Ehr, Service, FetchingCall(server));
        var other = await SendAsync(cds, second, Service, CdsHooksCalls.Toddler());
        var recordedWhileHeld = (await cds.Audit.HeadAsync()).Size;
        hold.SetResult();
        var completed = await Task.WhenAll(inProgress);

        // A slot is given back just after its answer is written: the next call soon gets one.
        var afterwards = await SendAsync(cds, cds.Ehr, Service, FetchingCall(server));
        for (var i = 0; i < 100 && afterwards.Status == HttpStatusCode.TooManyRequests; i++)
        {
            await Task.Delay(20);
            afterwards = await SendAsync(cds, cds.Ehr, Service, FetchingCall(server));
        }

        Assert.Equal(HttpStatusCode.TooManyRequests, beyond.Status);
        Assert.Equal(1, beyond.RetryAfterSeconds);
        Assert.Equal("busy", (string?)beyond.Body["error"]);
        Assert.Contains("already has 2 hook calls in progress", (string?)beyond.Body["reason"], StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, other.Status);
        Assert.Equal(1, recordedWhileHeld);
        Assert.All(completed, a => Assert.Equal(HttpStatusCode.OK, a.Status));
        Assert.All(completed, a => Assert.StartsWith("Massage is suitable with 1 precaution", (string?)a.Body["cards"]![0]!["summary"], StringComparison.Ordinal));
        Assert.Equal(HttpStatusCode.OK, afterwards.Status);
        Assert.Equal(4, (await cds.Audit.HeadAsync()).Size);
        Assert.Equal(3, server.Requests.Count);
        Assert.InRange(counts.Of(Rejected, "reason", "OVERLOADED"), 1, 101);
        Assert.Contains($"the latest from {TestEhr.Issuer} (OVERLOADED)", Assert.Single(Reports(cds)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task HookCall_LimitsZero_NeitherRateNorSlotsLimited()
    {
        const int Calls = 20;
        var hold = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var server = await FixtureFhirServer.StartAsync(Patient(CdsHooksCalls.ToddlerId, "2023-08-25"), []);
        server.Hold = hold.Task;
        await using var cds = await CdsHooksTestHost.StartAsync(args:
        [
            server.AllowedArgument,
            "--SafetyCheck:CdsHooks:CallsPerSecondPerIssuer=0",
            "--SafetyCheck:CdsHooks:CallBurstPerIssuer=1",
            "--SafetyCheck:CdsHooks:MaxConcurrentCallsPerIssuer=0",
        ]);

        // More calls in progress at once than the default cap (16), and more in a row than a burst of 1.
        var inProgress = Enumerable.Range(0, Calls).Select(_ => SendAsync(cds, cds.Ehr, Service, FetchingCall(server))).ToArray();
        await WaitUntilAsync(() => server.Requests.Count >= Calls);
        hold.SetResult();
        var answers = await Task.WhenAll(inProgress);

        Assert.All(answers, a => Assert.Equal(HttpStatusCode.OK, a.Status));
        Assert.Equal(Calls, (await cds.Audit.HeadAsync()).Size);
        Assert.Empty(Reports(cds));
    }

    [Theory]
    [InlineData("CallsPerSecondPerIssuer=-1", "SafetyCheck:CdsHooks:CallsPerSecondPerIssuer must be between 0 and 10000 (got -1).")]
    [InlineData("CallBurstPerIssuer=5", "SafetyCheck:CdsHooks:CallBurstPerIssuer must be at least CallsPerSecondPerIssuer (20; got 5).")]
    [InlineData("MaxConcurrentCallsPerIssuer=-3", "SafetyCheck:CdsHooks:MaxConcurrentCallsPerIssuer must be between 0 and 10000 (got -3).")]
    public async Task Start_BadLimit_RefusedWithOneLineNamingTheSetting(string setting, string expected)
    {
        var error = await Assert.ThrowsAsync<OptionsValidationException>(async () =>
        {
            await using var cds = await CdsHooksTestHost.StartAsync(loadRules: false, args: "--SafetyCheck:CdsHooks:" + setting);
        });

        Assert.Equal(expected, Assert.Single(error.Failures));
    }

    /// <summary>The toddler's call whose conditions the service must fetch from <paramref name="server"/> (one request per call).</summary>
    private static JsonObject FetchingCall(FixtureFhirServer server)
    {
        var call = CdsHooksCalls.Toddler();
        call["prefetch"]!["conditions"] = JsonNode.Parse("""{"resourceType":"OperationOutcome","issue":[{"severity":"error","code":"timeout"}]}""");
        CdsHooksCalls.WithServer(call, server);
        return call;
    }

    private static List<string> Reports(CdsHooksTestHost cds) =>
        [.. cds.Host.Logs.Entries.Where(e => e.EventId.Id == 1108).Select(e => e.Message)];

    /// <summary>Sends with a fresh token from <paramref name="ehr"/> (or <paramref name="token"/>; "" for none), from a browser page of <paramref name="origin"/> when given.</summary>
    private static async Task<Answer> SendAsync(CdsHooksTestHost cds, TestEhr ehr, string path, JsonNode? body, string? token = null, string? origin = null)
    {
        using var request = ehr.Request(body is null ? HttpMethod.Get : HttpMethod.Post, path, body, token);
        if (origin is not null)
        {
            request.Headers.Add("Origin", origin);
        }

        using var response = await cds.Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return new Answer(response.StatusCode, response.Headers.RetryAfter?.Delta is { } delta ? (int)delta.TotalSeconds : null, JsonNode.Parse(text)!.AsObject(), response.Headers);
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        for (var i = 0; i < 3000 && !condition(); i++)
        {
            await Task.Delay(10);
        }

        Assert.True(condition(), "the calls did not reach the FHIR server within 30 seconds");
    }

    private sealed record Answer(HttpStatusCode Status, int? RetryAfterSeconds, JsonObject Body, System.Net.Http.Headers.HttpResponseHeaders Headers);
}
