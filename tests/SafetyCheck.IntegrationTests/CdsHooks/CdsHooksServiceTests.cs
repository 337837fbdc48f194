using System.Net;
using System.Text.Json.Nodes;
using Google.Protobuf;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using SafetyCheck.Audit.Recording;
using SafetyCheck.Audit.Records;
using SafetyCheck.Core.Evaluation;
using SafetyCheck.Core.Pipeline;
using SafetyCheck.Core.Rules;
using SafetyCheck.Protos.V1;
using static SafetyCheck.IntegrationTests.CdsHooks.SyntheticFhir;

namespace SafetyCheck.IntegrationTests.CdsHooks;

/// <summary>Service calls through both hooks: cards, the pipeline's decisions, the audit trail, and what cannot be checked.</summary>
public sealed class CdsHooksServiceTests
{
    public static TheoryData<int> Cases => [.. Enumerable.Range(0, CdsHooksCalls.All.Count)];

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task HookCall_SyntheticChild_SameVerdictAndPrecautionsAsTheHandMappedRequest(int index)
    {
        var @case = CdsHooksCalls.All[index];
        await using var cds = await CdsHooksTestHost.StartAsync();
        var expected = await cds.Host.Client.CheckAsync(JsonParser.Default.Parse<CheckRequest>(@case.HandMapped));

        var (status, body) = await cds.CallAsync(@case.Service, @case.Call());

        Assert.Equal(HttpStatusCode.OK, status);
        var cards = body["cards"]!.AsArray().Select(c => c!.AsObject()).ToArray();
        var decisionId = (string)cards[0]["uuid"]!;
        var record = (await cds.Audit.GetAsync(decisionId))!.ToRecord();
        Assert.Equal((int)expected.Suitability, (int)record.Content.Verdict);
        Assert.Equal(expected.Precautions.Select(p => p.RuleId), record.Content.Precautions);
        Assert.Equal(TestEhr.Issuer, record.Content.Caller);
        Assert.Equal(ExpectedIndicator(expected.Suitability), (string?)cards[0]["indicator"]);
        Assert.Equal(1 + expected.Precautions.Count + (expected.Benefits.Count > 0 ? 1 : 0), cards.Length);
        for (var i = 0; i < expected.Precautions.Count; i++)
        {
            var precaution = expected.Precautions[i];
            Assert.Equal(ExpectedIndicator(precaution.Outcome), (string?)cards[i + 1]["indicator"]);
            Assert.Contains($"rule `{precaution.RuleId}`", (string?)cards[i + 1]["detail"], StringComparison.Ordinal);
        }

        Assert.All(cards, card =>
        {
            Assert.True(((string)card["summary"]!).Length < 140);
            Assert.Contains($"Decision `{decisionId}`", (string?)card["detail"], StringComparison.Ordinal);
            Assert.StartsWith("SafetyCheck paediatric massage rules", (string?)card["source"]!["label"], StringComparison.Ordinal);
            Assert.Contains("decision", (string)card["detail"]!, StringComparison.OrdinalIgnoreCase);
        });
        Assert.Equal(cards.Length, cards.Select(c => (string?)c["uuid"]).Distinct().Count());
    }

    [Fact]
    public async Task HookCall_NotSuitable_CriticalCardsWithWhatToDoAndEvidenceLinks()
    {
        await using var cds = await CdsHooksTestHost.StartAsync();

        var (_, body) = await cds.CallAsync("massage-safety-order", CdsHooksCalls.All[1].Call());

        var cards = body["cards"]!.AsArray().Select(c => c!.AsObject()).ToArray();
        Assert.Equal("critical", (string?)cards[0]["indicator"]);
        Assert.StartsWith("Massage is not suitable", (string?)cards[0]["summary"], StringComparison.Ordinal);
        Assert.Contains("**What to do:** do not go ahead", (string?)cards[0]["detail"], StringComparison.Ordinal);
        var conflict = cards.Single(c => ((string)c["summary"]!).StartsWith("Plan conflict: ", StringComparison.Ordinal));
        Assert.Equal("critical", (string?)conflict["indicator"]);
        Assert.Contains("ABDOMEN", (string?)conflict["detail"], StringComparison.Ordinal);
        Assert.All(conflict["links"]!.AsArray(), l => Assert.StartsWith("http", (string?)l!["url"], StringComparison.Ordinal));
        Assert.NotEmpty(cards[0]["overrideReasons"]!.AsArray());
    }

    [Fact]
    public async Task HookCall_TwoAppointments_OneDecisionEach()
    {
        await using var cds = await CdsHooksTestHost.StartAsync();
        var call = AppointmentBook(
            CdsHooksCalls.ToddlerId,
            Prefetch(Patient(CdsHooksCalls.ToddlerId, "2023-08-25"), [Condition("eczema", CdsHooksCalls.ToddlerId, Snomed, "24079001")]),
            Appointment("first", CdsHooksCalls.ToddlerId, CdsHooksCalls.Start, "HOME", "LIGHT", "BACK"),
            Appointment("second", CdsHooksCalls.ToddlerId, "2026-03-09T10:00:00Z", "HOME", "LIGHT", "BACK"));

        var (status, body) = await cds.CallAsync("massage-safety-appointment", call);

        Assert.Equal(HttpStatusCode.OK, status);
        var summaries = body["cards"]!.AsArray().Select(c => (string)c!["summary"]!).ToArray();
        Assert.Contains(summaries, s => s.StartsWith("Massage is suitable", StringComparison.Ordinal) && s.EndsWith("(session 2026-03-02 10:00)", StringComparison.Ordinal));
        Assert.Contains(summaries, s => s.StartsWith("Massage is suitable", StringComparison.Ordinal) && s.EndsWith("(session 2026-03-09 10:00)", StringComparison.Ordinal));
        Assert.Equal(2, (await cds.Audit.HeadAsync()).Size);
    }

    [Fact]
    public async Task HookCall_TwoAppointments_SecondNotRecorded_503WithOneCardAndNoVerdict()
    {
        await using var cds = await CdsHooksTestHost.StartAsync(configureServices: s =>
        {
            s.AddSingleton<ChainDecisionRecorder>();
            s.Replace(ServiceDescriptor.Singleton<IDecisionRecorder>(sp => new RecorderFailingAtCall(2, sp.GetRequiredService<ChainDecisionRecorder>())));
        });
        var call = AppointmentBook(
            CdsHooksCalls.ToddlerId,
            Prefetch(Patient(CdsHooksCalls.ToddlerId, "2023-08-25"), [Condition("eczema", CdsHooksCalls.ToddlerId, Snomed, "24079001")]),
            Appointment("first", CdsHooksCalls.ToddlerId, CdsHooksCalls.Start, "HOME", "LIGHT", "BACK"),
            Appointment("second", CdsHooksCalls.ToddlerId, "2026-03-09T10:00:00Z", "HOME", "LIGHT", "BACK"),
            Appointment("third", CdsHooksCalls.ToddlerId, "2026-03-16T10:00:00Z", "HOME", "LIGHT", "BACK"));

        using var request = cds.Ehr.Request(HttpMethod.Post, "/cds-services/massage-safety-appointment", call);
        using var response = await cds.Http.SendAsync(request);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.NotNull(response.Headers.RetryAfter);
        var card = Assert.Single(body["cards"]!.AsArray())!;
        Assert.Equal(CardSummaryNotMade, (string?)card["summary"]);
        Assert.Equal("warning", (string?)card["indicator"]);
        Assert.Contains("AUDIT_UNAVAILABLE", (string?)card["detail"], StringComparison.Ordinal);
        Assert.Null(card["overrideReasons"]);

        // The first appointment's decision stays in the trail, never shown: the EHR's retry decides it again.
        Assert.Equal(1, (await cds.Audit.HeadAsync()).Size);
    }

    [Fact]
    public async Task HookCall_OrderSelectSpecExample_NoMassageOrderSelected_NoCardsAndNothingRecorded()
    {
        await using var cds = await CdsHooksTestHost.StartAsync();
        var call = JsonNode.Parse("""
            {
              "hook": "order-select",
              "hookInstance": "d1577c69-dfbe-44ad-ba6d-3e05e953b2ea",
              "context": {
                "userId": "PractitionerRole/123",
                "patientId": "1288992",
                "encounterId": "89284",
                "selections": [ "MedicationRequest/smart-MedicationRequest-103" ],
                "draftOrders": {
                  "resourceType": "Bundle",
                  "entry": [ { "resource": {
                    "resourceType": "MedicationRequest", "id": "smart-MedicationRequest-103", "status": "draft", "intent": "order",
                    "medicationCodeableConcept": { "coding": [ { "system": "http://www.nlm.nih.gov/research/umls/rxnorm", "code": "617993" } ] },
                    "subject": { "reference": "Patient/1288992" } } } ]
                }
              }
            }
            """)!.AsObject();

        var (status, body) = await cds.CallAsync("massage-safety-order", call);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Empty(body["cards"]!.AsArray());
        Assert.Equal(0, (await cds.Audit.HeadAsync()).Size);
    }

    [Fact]
    public async Task HookCall_PartialBirthDate_CardSaysTheCheckCouldNotBeMadeNamingTheElement()
    {
        await using var cds = await CdsHooksTestHost.StartAsync();
        var call = AppointmentBook("p1", Prefetch(Patient("p1", "2023-08")), Appointment("apt", "p1", CdsHooksCalls.Start));

        var (status, body) = await cds.CallAsync("massage-safety-appointment", call);

        Assert.Equal(HttpStatusCode.OK, status);
        var card = Assert.Single(body["cards"]!.AsArray())!;
        Assert.Equal("warning", (string?)card["indicator"]);
        Assert.StartsWith("Massage safety check could not be made", (string?)card["summary"], StringComparison.Ordinal);
        Assert.Contains("Patient.birthDate", (string?)card["detail"], StringComparison.Ordinal);
        Assert.Equal(0, (await cds.Audit.HeadAsync()).Size);
    }

    [Fact]
    public async Task HookCall_PrefetchMissingAndNoFhirServer_412WithACardSayingWhy()
    {
        await using var cds = await CdsHooksTestHost.StartAsync();
        var prefetch = Prefetch(Patient("p1", "2023-08-25"));
        prefetch.Remove("conditions");

        var (status, body) = await cds.CallAsync("massage-safety-appointment", AppointmentBook("p1", prefetch, Appointment("apt", "p1", CdsHooksCalls.Start)));

        Assert.Equal(HttpStatusCode.PreconditionFailed, status);
        var card = Assert.Single(body["cards"]!.AsArray())!;
        Assert.Contains("prefetch 'conditions'", (string?)card["detail"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task HookCall_PrefetchEntryIsAnOperationOutcome_FetchedFromTheServerInstead()
    {
        var patient = Patient(CdsHooksCalls.ToddlerId, "2023-08-25");
        await using var server = await FixtureFhirServer.StartAsync(patient, [Condition("eczema", CdsHooksCalls.ToddlerId, Snomed, "24079001")]);
        await using var cds = await CdsHooksTestHost.StartAsync(args: server.AllowedArgument);
        var call = CdsHooksCalls.Toddler();
        call["prefetch"]!["conditions"] = JsonNode.Parse("""{"resourceType":"OperationOutcome","issue":[{"severity":"error","code":"timeout"}]}""");
        CdsHooksCalls.WithServer(call, server);

        var (status, body) = await cds.CallAsync("massage-safety-appointment", call);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.StartsWith("Massage is suitable with 1 precaution", (string?)body["cards"]![0]!["summary"], StringComparison.Ordinal);
        Assert.Equal([$"/fhir/Condition?patient={CdsHooksCalls.ToddlerId}"], server.Requests);
    }

    [Fact]
    public async Task HookCall_NoPrefetch_FetchesEveryPageFromTheFhirServerWithTheAccessToken()
    {
        var @case = CdsHooksCalls.All[3];
        var withPrefetch = @case.Call();
        var prefetch = withPrefetch["prefetch"]!.AsObject();
        var resources = prefetch.Where(p => p.Key != "patient").SelectMany(p => p.Value!["entry"]!.AsArray().Select(e => e!["resource"]!.AsObject())).ToList();
        resources.Add(Condition("second", "c1", Snomed, "24079001", clinicalStatus: "resolved"));
        await using var server = await FixtureFhirServer.StartAsync(prefetch["patient"]!.AsObject(), resources);
        await using var cds = await CdsHooksTestHost.StartAsync(args: server.AllowedArgument);
        var call = @case.Call();
        call.Remove("prefetch");
        CdsHooksCalls.WithServer(call, server);

        var (status, body) = await cds.CallAsync(@case.Service, call);
        var (_, expected) = await cds.CallAsync(@case.Service, @case.Call());

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal((string?)expected["cards"]![0]!["summary"], (string?)body["cards"]![0]!["summary"]);
        Assert.Equal(8, server.Requests.Count);
        Assert.Contains("/fhir/Condition?patient=c1&page=1", server.Requests);
        Assert.All(server.Authorizations, a => Assert.Equal("Bearer " + FixtureFhirServer.AccessToken, a));
        Assert.DoesNotContain(cds.Host.Logs.Entries, e => e.Message.Contains("patient=c1", StringComparison.Ordinal) || e.Message.Contains(FixtureFhirServer.AccessToken, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(500, "HTTP 500")]
    [InlineData(401, "HTTP 401")]
    [InlineData(0, "did not answer within 1 s")]
    public async Task HookCall_FhirServerFails_412WithACardSayingTheCheckCouldNotBeMade(int failWith, string reason)
    {
        await using var server = await FixtureFhirServer.StartAsync(Patient("p1", "2023-08-25"), []);
        if (failWith == 0)
        {
            server.Delay = TimeSpan.FromSeconds(3);
        }
        else
        {
            server.FailWith = failWith;
        }

        // Only the slow server's case needs the short timeout: on a busy host a failing server's first answer can
        // take longer than a second, and its card would then name the timeout instead of the HTTP status.
        var timeout = failWith == 0 ? 1 : 30;
        await using var cds = await CdsHooksTestHost.StartAsync(args: [server.AllowedArgument, $"--SafetyCheck:CdsHooks:FhirTimeoutSeconds={timeout}"]);
        var call = AppointmentBook("p1", null, Appointment("apt", "p1", CdsHooksCalls.Start));
        CdsHooksCalls.WithServer(call, server);

        var (status, body) = await cds.CallAsync("massage-safety-appointment", call);

        Assert.Equal(HttpStatusCode.PreconditionFailed, status);
        var card = Assert.Single(body["cards"]!.AsArray())!;
        Assert.Equal("warning", (string?)card["indicator"]);
        Assert.Equal("Massage safety check could not be made: do not rely on it for this session", (string?)card["summary"]);
        Assert.Contains(reason, (string?)card["detail"], StringComparison.Ordinal);
        Assert.Contains("clinician", (string?)card["detail"], StringComparison.Ordinal);
        Assert.Equal(0, (await cds.Audit.HeadAsync()).Size);
    }

    [Theory]
    [InlineData("hookInstance", "hookInstance")]
    [InlineData("context.patientId", "context.patientId")]
    [InlineData("context.appointments", "context.appointments")]
    [InlineData("hook", "hook")]
    public async Task HookCall_MalformedCall_400NamingTheField(string remove, string field)
    {
        await using var cds = await CdsHooksTestHost.StartAsync();
        var call = CdsHooksCalls.Toddler();
        if (remove.StartsWith("context.", StringComparison.Ordinal))
        {
            call["context"]!.AsObject().Remove(remove["context.".Length..]);
        }
        else if (remove == "hook")
        {
            call["hook"] = "order-select";
        }
        else
        {
            call.Remove(remove);
        }

        var (status, body) = await cds.CallAsync("massage-safety-appointment", call);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains(body["violations"]!.AsArray(), v => (string?)v!["field"] == field);
        Assert.Equal(0, (await cds.Audit.HeadAsync()).Size);
    }

    [Fact]
    public async Task HookCall_MemberGivenTwice_400NamingIt_NothingDecided()
    {
        await using var cds = await CdsHooksTestHost.StartAsync();
        var text = CdsHooksCalls.Toddler().ToJsonString();
        Assert.Contains("\"prefetch\":{\"patient\":", text, StringComparison.Ordinal);
        using var request = cds.Ehr.Request(HttpMethod.Post, "/cds-services/massage-safety-appointment");
        request.Content = new StringContent(text.Replace("\"prefetch\":{", "\"prefetch\":{\"patient\":null,", StringComparison.Ordinal), System.Text.Encoding.UTF8, "application/json");

        using var response = await cds.Http.SendAsync(request);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var violation = Assert.Single(body["violations"]!.AsArray())!;
        Assert.Contains("patient", (string?)violation["description"], StringComparison.Ordinal);
        Assert.Equal(0, (await cds.Audit.HeadAsync()).Size);
    }

    [Fact]
    public async Task HookCall_BadSessionExtension_400NamingTheExtension()
    {
        await using var cds = await CdsHooksTestHost.StartAsync();
        var call = AppointmentBook("p1", Prefetch(Patient("p1", "2023-08-25")), Appointment("apt", "p1", CdsHooksCalls.Start, setting: "SPA"));

        var (status, body) = await cds.CallAsync("massage-safety-appointment", call);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains(body["violations"]!.AsArray(), v => ((string)v!["field"]!).Contains("urn:safetycheck:fhir:session-setting", StringComparison.Ordinal));
    }

    [Fact]
    public async Task HookCall_NoRuleSet_503WithACardSayingTheCheckCouldNotBeMade()
    {
        await using var cds = await CdsHooksTestHost.StartAsync(loadRules: false);

        var (status, body) = await cds.CallAsync("massage-safety-appointment", CdsHooksCalls.Toddler());

        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
        var card = Assert.Single(body["cards"]!.AsArray())!;
        Assert.Equal(CardSummaryNotMade, (string?)card["summary"]);
        Assert.Contains("RULESET_UNAVAILABLE", (string?)card["detail"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task HookCall_UnknownService_404()
    {
        await using var cds = await CdsHooksTestHost.StartAsync();

        var (status, _) = await cds.CallAsync("no-such-service", CdsHooksCalls.Toddler());

        Assert.Equal(HttpStatusCode.NotFound, status);
    }

    /// <summary>Records through <paramref name="inner"/>, except its <paramref name="failing"/>th call (from 1), which the trail refuses.</summary>
    private sealed class RecorderFailingAtCall(int failing, IDecisionRecorder inner) : IDecisionRecorder
    {
        private int _calls;

        public ValueTask<DecisionReceipt?> RecordAsync(RuleSet ruleSet, Assessment assessment, string decisionId, Caller caller, DateTimeOffset decidedAt, CancellationToken cancellationToken) =>
            Interlocked.Increment(ref _calls) == failing
                ? throw new DecisionNotRecordedException("the audit store refused the write (test)")
                : inner.RecordAsync(ruleSet, assessment, decisionId, caller, decidedAt, cancellationToken);
    }

    private const string CardSummaryNotMade = "Massage safety check could not be made: do not rely on it for this session";

    private static string ExpectedIndicator(Suitability outcome) => outcome switch
    {
        Suitability.NotSuitable => "critical",
        Suitability.ClinicianReviewRequired or Suitability.SuitableWithPrecautions => "warning",
        _ => "info",
    };
}
