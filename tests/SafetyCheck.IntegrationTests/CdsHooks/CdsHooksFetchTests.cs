using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using static SafetyCheck.IntegrationTests.CdsHooks.SyntheticFhir;

namespace SafetyCheck.IntegrationTests.CdsHooks;

/// <summary>Fetching from the EHR's FHIR server (parallel, one budget, dated temperatures, relative links, HTML answers) and the call's HTTP edges.</summary>
public sealed class CdsHooksFetchTests
{
    private const string Child = "synthetic-cds-fetch-01";

    private static JsonObject FetchEverything(FixtureFhirServer server)
    {
        var call = AppointmentBook(Child, null, Appointment("apt", Child, CdsHooksCalls.Start, "HOME", "LIGHT", "BACK"));
        CdsHooksCalls.WithServer(call, server);
        return call;
    }

    [Fact]
    public async Task NoPrefetch_SevenSlowQueries_FetchedInParallel()
    {
        await using var server = await FixtureFhirServer.StartAsync(Patient(Child, "2018-01-10"), []);
        server.Delay = TimeSpan.FromSeconds(2);
        await using var cds = await CdsHooksTestHost.StartAsync(args: [server.AllowedArgument, "--SafetyCheck:CdsHooks:FhirTimeoutSeconds=30", "--SafetyCheck:CdsHooks:FhirBudgetSeconds=30"]);

        var watch = Stopwatch.StartNew();
        var (status, body) = await cds.CallAsync("massage-safety-appointment", FetchEverything(server));
        watch.Stop();

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.StartsWith("Massage is suitable", (string?)body["cards"]![0]!["summary"], StringComparison.Ordinal);
        Assert.Equal(7, server.Requests.Count);

        // One after another they would take 14 s.
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(9), $"took {watch.Elapsed}");
    }

    [Fact]
    public async Task FetchesPastTheBudget_412CheckNotMade_SaysTheBudget_MachineReadableTopic()
    {
        await using var server = await FixtureFhirServer.StartAsync(Patient(Child, "2018-01-10"), []);
        server.Delay = TimeSpan.FromSeconds(4);
        await using var cds = await CdsHooksTestHost.StartAsync(args: [server.AllowedArgument, "--SafetyCheck:CdsHooks:FhirTimeoutSeconds=30", "--SafetyCheck:CdsHooks:FhirBudgetSeconds=1"]);

        var watch = Stopwatch.StartNew();
        var (status, body) = await cds.CallAsync("massage-safety-appointment", FetchEverything(server));
        watch.Stop();

        Assert.Equal(HttpStatusCode.PreconditionFailed, status);
        var card = Assert.Single(body["cards"]!.AsArray())!;
        Assert.Contains("did not all come within 1 s (FhirBudgetSeconds)", (string?)card["detail"], StringComparison.Ordinal);
        Assert.Equal("massage-safety-check-not-made", (string?)card["source"]!["topic"]!["code"]);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(4), $"took {watch.Elapsed}");
        Assert.Equal(0, (await cds.Audit.HeadAsync()).Size);
    }

    [Fact]
    public async Task TemperatureFetched_OnlyFromTheDayBeforeTheEarliestSession()
    {
        await using var server = await FixtureFhirServer.StartAsync(Patient(Child, "2018-01-10"), []);
        await using var cds = await CdsHooksTestHost.StartAsync(args: server.AllowedArgument);
        var call = AppointmentBook(
            Child,
            null,
            Appointment("later", Child, "2026-03-09T10:00:00Z", "HOME", "LIGHT", "BACK"),
            Appointment("first", Child, CdsHooksCalls.Start, "HOME", "LIGHT", "BACK"));
        CdsHooksCalls.WithServer(call, server);

        var (status, _) = await cds.CallAsync("massage-safety-appointment", call);

        Assert.Equal(HttpStatusCode.OK, status);
        var temperature = Assert.Single(server.Requests, r => r.Contains("8310-5", StringComparison.Ordinal));
        Assert.EndsWith("&date=ge2026-03-01", temperature, StringComparison.Ordinal);
        Assert.DoesNotContain(server.Requests, r => r.Contains("date=", StringComparison.Ordinal) && !r.Contains("8310-5", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AxillaryTemperatureOnly_Fetched_FeverRead_NotUnknown()
    {
        await using var server = await FixtureFhirServer.StartAsync(
            Patient(Child, "2018-01-10"),
            [Observation("axillary", Child, "8328-7", 38.6, "Cel", "2026-03-02T08:00:00Z")]);
        await using var cds = await CdsHooksTestHost.StartAsync(args: server.AllowedArgument);

        var (status, body) = await cds.CallAsync("massage-safety-appointment", FetchEverything(server));

        Assert.Equal(HttpStatusCode.OK, status);
        var temperature = Assert.Single(server.Requests, r => r.Contains("8328-7", StringComparison.Ordinal));
        Assert.Contains("&date=ge2026-03-01", temperature, StringComparison.Ordinal);
        var cards = body["cards"]!.AsArray().Select(c => c!.AsObject()).ToArray();
        Assert.DoesNotContain("Massage is suitable", (string?)cards[0]["summary"], StringComparison.Ordinal);
        Assert.Contains(cards.Skip(1), c => ((string)c["detail"]!).Contains("**Because of:** body temperature 38.6 °C.", StringComparison.Ordinal));
    }

    [Fact]
    public async Task RelativeNextLink_ResolvedAgainstTheServerBase_AndFollowed()
    {
        await using var server = await FixtureFhirServer.StartAsync(
            Patient(Child, "2018-01-10"),
            [Condition("a", Child, Snomed, "24079001"), Condition("b", Child, Snomed, "24079001", clinicalStatus: "resolved")]);
        server.Rewrite = text => text.Replace(server.BaseUrl + "/", "", StringComparison.Ordinal);
        await using var cds = await CdsHooksTestHost.StartAsync(args: server.AllowedArgument);

        var (status, body) = await cds.CallAsync("massage-safety-appointment", FetchEverything(server));

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.StartsWith("Massage is suitable with 1 precaution", (string?)body["cards"]![0]!["summary"], StringComparison.Ordinal);
        Assert.Contains($"/fhir/Condition?patient={Child}&page=1", server.Requests);
    }

    [Fact]
    public async Task FhirServerAnswersHtml_CardSaysSo_NotTheParsersText()
    {
        await using var server = await FixtureFhirServer.StartAsync(Patient(Child, "2018-01-10"), []);
        server.Rewrite = _ => "<!DOCTYPE html>\n<html><body>Please sign in</body></html>";
        await using var cds = await CdsHooksTestHost.StartAsync(args: server.AllowedArgument);

        var (status, body) = await cds.CallAsync("massage-safety-appointment", FetchEverything(server));

        Assert.Equal(HttpStatusCode.PreconditionFailed, status);
        var detail = (string)body["cards"]![0]!["detail"]!;
        Assert.Contains("answered with HTML, not FHIR JSON", detail, StringComparison.Ordinal);
        Assert.DoesNotContain("invalid start of a value", detail, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task QuotedUtf8Charset_Accepted()
    {
        await using var cds = await CdsHooksTestHost.StartAsync();
        using var request = cds.Ehr.Request(HttpMethod.Post, "/cds-services/massage-safety-appointment", CdsHooksCalls.Toddler());
        request.Content!.Headers.ContentType = MediaTypeHeaderValue.Parse("application/json; charset=\"utf-8\"");

        using var response = await cds.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task QuotedOtherCharset_415NamingIt()
    {
        await using var cds = await CdsHooksTestHost.StartAsync();
        using var request = cds.Ehr.Request(HttpMethod.Post, "/cds-services/massage-safety-appointment", CdsHooksCalls.Toddler());
        request.Content!.Headers.ContentType = MediaTypeHeaderValue.Parse("application/json; charset=\"latin1\"");

        using var response = await cds.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.Contains("'latin1' is not UTF-8", (string?)JsonNode.Parse(await response.Content.ReadAsStringAsync())!["error"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Answers_VaryByOrigin()
    {
        await using var cds = await CdsHooksTestHost.StartAsync(args: "--SafetyCheck:CdsHooks:AllowedOrigins:0=https://ehr.example.test");
        using var request = cds.Ehr.Request(HttpMethod.Get, "/cds-services");
        request.Headers.Add("Origin", "https://other.example.test");

        using var response = await cds.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("Origin", response.Headers.Vary);
    }

    [Fact]
    public async Task TokenWithNullIat_401NamingIat()
    {
        await using var cds = await CdsHooksTestHost.StartAsync();
        var token = cds.Ehr.Token("/cds-services", (_, payload) => payload["iat"] = null);

        var (status, body) = await cds.SendAsync(HttpMethod.Get, "/cds-services", token: token);

        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Equal("The token's iat is not a time: NumericDate seconds since 1970 are required.", (string?)body["reason"]);
    }
}
