using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using static SafetyCheck.IntegrationTests.CdsHooks.SyntheticFhir;

namespace SafetyCheck.IntegrationTests.CdsHooks;

/// <summary>
/// What a caller sends that the service cannot read as sent: bytes that are not UTF-8, a body that is not declared as
/// UTF-8 JSON, a search answered with something other than a search result, session values given twice or partially.
/// Each is refused naming what is wrong (400, 412 or 415), never decided on a guess and never a 500.
/// </summary>
public sealed class CdsHooksInputTests
{
    private const string Service = "/cds-services/massage-safety-appointment";

    [Fact]
    public async Task HookCall_ByteThatIsNotUtf8InHookInstance_400NamingItAndTheOffset()
    {
        await using var cds = await CdsHooksTestHost.StartAsync();
        var body = Latin1("{\"hook\":\"appointment-book\",\"hookInstance\":\"\xff\",\"context\":{}}");

        var (status, answer) = await PostBytesAsync(cds, Service, body);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        var violation = Assert.Single(answer["violations"]!.AsArray())!;
        Assert.Equal("hookInstance", (string?)violation["field"]);
        Assert.Contains("is not UTF-8 text: the byte 0xFF at offset 43", (string?)violation["description"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task HookCall_Latin1LetterInThePrefetch_400NamingItsPath_NothingRecorded()
    {
        await using var cds = await CdsHooksTestHost.StartAsync();
        var call = CdsHooksCalls.Toddler();
        call["prefetch"]!["patient"]!["name"] = new JsonArray(new JsonObject { ["family"] = "MARKER" });
        var body = Latin1(call.ToJsonString().Replace("MARKER", "M\xfcller", StringComparison.Ordinal));

        var (status, answer) = await PostBytesAsync(cds, Service, body);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("prefetch.patient.name[0].family", (string?)Assert.Single(answer["violations"]!.AsArray())!["field"]);
        Assert.Equal(0, (await cds.Audit.HeadAsync()).Size);
    }

    [Fact]
    public async Task Feedback_Latin1LetterInTheComment_400NamingIt()
    {
        await using var cds = await CdsHooksTestHost.StartAsync();
        var body = Latin1("{\"feedback\":[{\"card\":\"c\",\"outcome\":\"overridden\",\"overrideReason\":{\"userComment\":\"M\xfcller\"},\"outcomeTimestamp\":\"2026-03-02T10:05:31Z\"}]}");

        var (status, answer) = await PostBytesAsync(cds, Service + "/feedback", body);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("feedback[0].overrideReason.userComment", (string?)Assert.Single(answer["violations"]!.AsArray())!["field"]);
        Assert.Equal(0, (await cds.Audit.HeadAsync()).Size);
    }

    [Theory]
    [InlineData("text/plain", null, "is not JSON")]
    [InlineData(null, null, "no Content-Type")]
    [InlineData("application/json; charset=iso-8859-1", null, "is not UTF-8")]
    [InlineData("application/json", "gzip", "Content-Encoding 'gzip'")]
    public async Task HookCall_BodyNotDeclaredAsUtf8Json_415NamingWhy(string? contentType, string? encoding, string reason)
    {
        await using var cds = await CdsHooksTestHost.StartAsync();
        using var request = cds.Ehr.Request(HttpMethod.Post, Service);
        request.Content = new ByteArrayContent(Encoding.UTF8.GetBytes(CdsHooksCalls.Toddler().ToJsonString()));
        if (contentType is not null)
        {
            request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        }

        if (encoding is not null)
        {
            request.Content.Headers.ContentEncoding.Add(encoding);
        }

        using var response = await cds.Http.SendAsync(request);
        var answer = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.Contains(reason, (string?)answer["error"], StringComparison.Ordinal);
        Assert.Equal(0, (await cds.Audit.HeadAsync()).Size);
    }

    [Theory]
    [InlineData("application/fhir+json")]
    [InlineData("application/json; charset=UTF-8")]
    public async Task HookCall_FhirJsonOrUtf8Charset_Decided(string contentType)
    {
        await using var cds = await CdsHooksTestHost.StartAsync();
        using var request = cds.Ehr.Request(HttpMethod.Post, Service);
        request.Content = new ByteArrayContent(Encoding.UTF8.GetBytes(CdsHooksCalls.Toddler().ToJsonString()));
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);

        using var response = await cds.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Theory]
    [InlineData("""{"resourceType":"Patient","id":"synthetic-cds-0003","birthDate":"2023-08-25"}""", "is a Patient, not a search result")]
    [InlineData("""{"resourceType":"Foo"}""", "is a Foo, not a search result")]
    [InlineData("{}", "is not a FHIR resource")]
    [InlineData("""{"resourceType":"OperationOutcome","issue":[]}""", "is an OperationOutcome")]
    public async Task HookCall_ConditionsPrefetchNotASearchResult_412NamingTheKey_NothingRecorded(string conditions, string reason)
    {
        await using var cds = await CdsHooksTestHost.StartAsync();
        var call = CdsHooksCalls.Toddler();
        call["prefetch"]!["conditions"] = JsonNode.Parse(conditions);

        var (status, body) = await cds.CallAsync("massage-safety-appointment", call);

        Assert.Equal(HttpStatusCode.PreconditionFailed, status);
        var card = Assert.Single(body["cards"]!.AsArray())!;
        Assert.Contains($"prefetch 'conditions' {reason}", (string?)card["detail"], StringComparison.Ordinal);
        Assert.Equal(0, (await cds.Audit.HeadAsync()).Size);
    }

    [Theory]
    [InlineData("{}", "answered the search with something that is not a FHIR resource")]
    [InlineData("""{"resourceType":"Patient","id":"p1","birthDate":"2023-08-25"}""", "answered the search with a Patient")]
    public async Task HookCall_FhirServerAnswersTheConditionSearchWithoutASearchResult_412_NothingRecorded(string answer, string reason)
    {
        await using var server = await FixtureFhirServer.StartAsync(Patient("p1", "2023-08-25"), []);
        server.Rewrite = json => json.Contains("/Condition?", StringComparison.Ordinal) ? answer : json;
        await using var cds = await CdsHooksTestHost.StartAsync(args: server.AllowedArgument);
        var call = AppointmentBook("p1", null, Appointment("apt", "p1", CdsHooksCalls.Start, "HOME", "LIGHT", "BACK"));
        CdsHooksCalls.WithServer(call, server);

        var (status, body) = await cds.CallAsync("massage-safety-appointment", call);

        Assert.Equal(HttpStatusCode.PreconditionFailed, status);
        var card = Assert.Single(body["cards"]!.AsArray())!;
        Assert.Contains("prefetch 'conditions' could not be fetched", (string?)card["detail"], StringComparison.Ordinal);
        Assert.Contains(reason, (string?)card["detail"], StringComparison.Ordinal);
        Assert.Equal(0, (await cds.Audit.HeadAsync()).Size);
    }

    [Fact]
    public async Task HookCall_PrefetchLinkRelationThatIsNotAString_FetchedOr412_Never500()
    {
        await using var cds = await CdsHooksTestHost.StartAsync();
        var call = CdsHooksCalls.Toddler();
        call["prefetch"]!["conditions"]!["link"] = new JsonArray(new JsonObject { ["relation"] = 1, ["url"] = "x" });

        var (status, _) = await cds.CallAsync("massage-safety-appointment", call);

        Assert.True(status is HttpStatusCode.OK or HttpStatusCode.PreconditionFailed or HttpStatusCode.BadRequest, status.ToString());
    }

    [Theory]
    [InlineData("urn:safetycheck:fhir:session-pressure", "FIRM", "LIGHT")]
    [InlineData("urn:safetycheck:fhir:session-setting", "NICU", "HOME")]
    public async Task HookCall_SingleValuedSessionExtensionGivenTwiceWithDifferentValues_400NamingIt(string url, string first, string second)
    {
        await using var cds = await CdsHooksTestHost.StartAsync();
        var call = CdsHooksCalls.Toddler();
        var extensions = call["context"]!["appointments"]!["entry"]![0]!["resource"]!["extension"]!.AsArray();
        extensions.Add(new JsonObject { ["url"] = url, ["valueCode"] = first });
        extensions.Add(new JsonObject { ["url"] = url, ["valueCode"] = second });

        var (status, body) = await cds.CallAsync("massage-safety-appointment", call);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        var violation = Assert.Single(body["violations"]!.AsArray())!;
        Assert.Equal($"Appointment/apt1.extension('{url}')", (string?)violation["field"]);
        Assert.Contains("more than once with different values", (string?)violation["description"], StringComparison.Ordinal);
        Assert.Equal(0, (await cds.Audit.HeadAsync()).Size);
    }

    [Fact]
    public async Task HookCall_SessionExtensionGivenTwiceWithTheSameValue_Decided()
    {
        await using var cds = await CdsHooksTestHost.StartAsync();
        var call = CdsHooksCalls.Toddler();
        call["context"]!["appointments"]!["entry"]![0]!["resource"]!["extension"]!.AsArray()
            .Add(new JsonObject { ["url"] = "urn:safetycheck:fhir:session-pressure", ["valueCode"] = "LIGHT" });

        var (status, _) = await cds.CallAsync("massage-safety-appointment", call);

        Assert.Equal(HttpStatusCode.OK, status);
    }

    [Theory]
    [InlineData("2026-03", "occurrenceDateTime", "a year and month only")]
    [InlineData("2026", "occurrenceDateTime", "a year only")]
    public async Task OrderSelect_PartialOccurrence_400NamingIt(string occurrence, string element, string message)
    {
        await using var cds = await CdsHooksTestHost.StartAsync();
        var call = OrderSelect("i1", Prefetch(Patient("i1", "2026-01-26")), ["ServiceRequest/massage"], MassageOrder("massage", "i1", occurrence, "HOME", "LIGHT"));

        var (status, body) = await cds.CallAsync("massage-safety-order", call);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        var violation = Assert.Single(body["violations"]!.AsArray())!;
        Assert.Equal("ServiceRequest/massage." + element, (string?)violation["field"]);
        Assert.Contains(message, (string?)violation["description"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task AppointmentBook_StartNull_400NamingIt()
    {
        await using var cds = await CdsHooksTestHost.StartAsync();
        var call = CdsHooksCalls.Toddler();
        call["context"]!["appointments"]!["entry"]![0]!["resource"]!["start"] = null;

        var (status, body) = await cds.CallAsync("massage-safety-appointment", call);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("context.appointments.entry[0].resource.start", (string?)Assert.Single(body["violations"]!.AsArray())!["field"]);
    }

    [Fact]
    public async Task AppointmentBook_PartialRequestedPeriodStart_400NamingIt()
    {
        await using var cds = await CdsHooksTestHost.StartAsync();
        var call = CdsHooksCalls.Toddler();
        var appointment = call["context"]!["appointments"]!["entry"]![0]!["resource"]!.AsObject();
        appointment.Remove("start");
        appointment["requestedPeriod"] = new JsonArray(new JsonObject { ["start"] = "2026-03" });

        var (status, body) = await cds.CallAsync("massage-safety-appointment", call);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("Appointment/apt1.requestedPeriod[0].start", (string?)Assert.Single(body["violations"]!.AsArray())!["field"]);
    }

    [Fact]
    public async Task HookCall_AppointmentForAnotherPatient_Is400NamingTheParticipant()
    {
        await using var cds = await CdsHooksTestHost.StartAsync();
        var call = AppointmentBook("i2", Prefetch(Patient("i2", "2025-10-01")), Appointment("apt", "someone-else", CdsHooksCalls.Start, "HOME", "LIGHT", "BACK"));

        var (status, body) = await cds.CallAsync("massage-safety-appointment", call);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        var violation = Assert.Single(body["violations"]!.AsArray())!;
        Assert.Equal("Appointment/apt.participant[0].actor", (string?)violation["field"]);
        Assert.Contains("Patient/someone-else, not the hook's patient Patient/i2", (string?)violation["description"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task HookCall_OrderForAnotherPatient_Is400NamingTheSubject()
    {
        await using var cds = await CdsHooksTestHost.StartAsync();
        var call = OrderSelect("i2", Prefetch(Patient("i2", "2025-10-01")), ["ServiceRequest/o1"], MassageOrder("o1", "someone-else", CdsHooksCalls.Start, "HOME", "LIGHT"));

        var (status, body) = await cds.CallAsync("massage-safety-order", call);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("ServiceRequest/o1.subject", (string?)Assert.Single(body["violations"]!.AsArray())!["field"]);
    }

    [Fact]
    public async Task HookCall_SuitableWithGuidanceOnly_SummaryNamesTheGuidanceNeverNoPrecautions()
    {
        await using var cds = await CdsHooksTestHost.StartAsync();
        var call = AppointmentBook("i2", Prefetch(Patient("i2", "2025-10-01")), Appointment("apt", "i2", CdsHooksCalls.Start, "HOME", "LIGHT", "BACK"));

        var (status, body) = await cds.CallAsync("massage-safety-appointment", call);

        Assert.Equal(HttpStatusCode.OK, status);
        var cards = body["cards"]!.AsArray();
        var guidance = cards.Count(c => (string?)c!["indicator"] == "info" && ((string)c["detail"]!).Contains("rule `", StringComparison.Ordinal));
        Assert.True(guidance > 0, "the infant gets guidance");
        var summary = (string)cards[0]!["summary"]!;
        Assert.DoesNotContain("no precautions", summary, StringComparison.Ordinal);
        Assert.Contains("guidance note", summary, StringComparison.Ordinal);
        var detail = (string)cards[0]!["detail"]!;
        Assert.Contains("**Guidance for the therapist:**", detail, StringComparison.Ordinal);
        Assert.DoesNotContain("**Precautions**", detail, StringComparison.Ordinal);
    }

    private static byte[] Latin1(string text) => Encoding.Latin1.GetBytes(text);

    private static async Task<(HttpStatusCode Status, JsonObject Body)> PostBytesAsync(CdsHooksTestHost cds, string path, byte[] body)
    {
        using var request = cds.Ehr.Request(HttpMethod.Post, path);
        request.Content = new ByteArrayContent(body);
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse("application/json");
        using var response = await cds.Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length == 0 ? [] : JsonNode.Parse(text)!.AsObject());
    }
}
