using System.Net;
using System.Text.Json.Nodes;
using static SafetyCheck.IntegrationTests.CdsHooks.SyntheticFhir;

namespace SafetyCheck.IntegrationTests.CdsHooks;

/// <summary>
/// A JSON string escape of half a UTF-16 surrogate pair (<c>"\ud800"</c>) is valid JSON but no text: anywhere in a call
/// or in feedback it is a 400 naming its path, with nothing decided or recorded; in a FHIR server's answer, the check
/// could not be made (412).
/// </summary>
public sealed class CdsHooksUnpairedSurrogateTests
{
    // Written into the JSON text, then swapped for the escape: a JsonNode cannot write a lone surrogate.
    private const string Marker = "UNPAIRED-SURROGATE";

    [Theory]
    [InlineData("hookInstance", "hookInstance")]
    [InlineData("patientId", "context.patientId")]
    [InlineData("userId", "context.userId")]
    [InlineData("prefetch", "prefetch.patient.name[0].family")]
    [InlineData("appointment", "context.appointments.entry[0].resource.id")]
    [InlineData("member name", "prefetch.patient")]
    public async Task HookCall_UnpairedSurrogateEscape_400NamingItsPath_NothingRecorded(string where, string field)
    {
        await using var cds = await CdsHooksTestHost.StartAsync();
        var call = CdsHooksCalls.Toddler();
        var context = call["context"]!.AsObject();
        var patient = call["prefetch"]!["patient"]!.AsObject();
        switch (where)
        {
            case "hookInstance":
                call["hookInstance"] = "h" + Marker;
                break;
            case "patientId":
                context["patientId"] = "p" + Marker;
                break;
            case "userId":
                context["userId"] = "Practitioner/" + Marker;
                break;
            case "prefetch":
                patient["name"] = new JsonArray(new JsonObject { ["family"] = Marker });
                break;
            case "appointment":
                context["appointments"]!["entry"]![0]!["resource"]!["id"] = "apt" + Marker;
                break;
            default:
                patient["x" + Marker] = "y";
                break;
        }

        var text = call.ToJsonString().Replace(Marker, "\\ud800", StringComparison.Ordinal);

        var (status, body) = await cds.PostTextAsync("/cds-services/massage-safety-appointment", text);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        var violation = Assert.Single(body["violations"]!.AsArray())!;
        Assert.Equal(field, (string?)violation["field"]);
        Assert.Contains("not Unicode text", (string?)violation["description"], StringComparison.Ordinal);
        Assert.Equal(0, (await cds.Audit.HeadAsync()).Size);
    }

    [Theory]
    [InlineData("""{"feedback":[{"card":"\ud800abc","outcome":"accepted","outcomeTimestamp":"2026-03-02T10:05:31Z"}]}""", "feedback[0].card")]
    [InlineData("""{"feedback":[{"card":"c","outcome":"accepted\udc00","outcomeTimestamp":"2026-03-02T10:05:31Z"}]}""", "feedback[0].outcome")]
    [InlineData("""{"feedback":[{"card":"c","outcome":"accepted","acceptedSuggestions":[{"id":"\ud800"}],"outcomeTimestamp":"2026-03-02T10:05:31Z"}]}""", "feedback[0].acceptedSuggestions[0].id")]
    [InlineData("""{"feedback":[{"card":"c","outcome":"overridden","overrideReason":{"reason":{"code":"x\ud800"}},"outcomeTimestamp":"2026-03-02T10:05:31Z"}]}""", "feedback[0].overrideReason.reason.code")]
    [InlineData("""{"feedback":[{"card":"c","outcome":"overridden","overrideReason":{"userComment":"\udfff\ud800"},"outcomeTimestamp":"2026-03-02T10:05:31Z"}]}""", "feedback[0].overrideReason.userComment")]
    public async Task Feedback_UnpairedSurrogateEscape_400NamingItsPath_NothingRecorded(string json, string field)
    {
        await using var cds = await CdsHooksTestHost.StartAsync();

        var (status, body) = await cds.PostTextAsync("/cds-services/massage-safety-appointment/feedback", json);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        var violation = Assert.Single(body["violations"]!.AsArray())!;
        Assert.Equal(field, (string?)violation["field"]);
        Assert.Equal(0, (await cds.Audit.HeadAsync()).Size);
    }

    [Fact]
    public async Task HookCall_SurrogatePairEscape_IsText_Decided()
    {
        await using var cds = await CdsHooksTestHost.StartAsync();
        var call = CdsHooksCalls.Toddler();
        call["prefetch"]!["patient"]!["name"] = new JsonArray(new JsonObject { ["family"] = Marker });
        var text = call.ToJsonString().Replace(Marker, "\\ud83d\\ude00", StringComparison.Ordinal);

        var (status, body) = await cds.PostTextAsync("/cds-services/massage-safety-appointment", text);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.StartsWith("Massage is suitable", (string?)body["cards"]![0]!["summary"], StringComparison.Ordinal);
        Assert.Equal(1, (await cds.Audit.HeadAsync()).Size);
    }

    [Theory]
    [InlineData("\"family\":\"" + Marker + "\"", "name[0].family")]
    [InlineData("\"x" + Marker + "\":1", "name[0]")]
    public async Task HookCall_FhirServerAnswersAnUnpairedSurrogateEscape_412CardSayingWhere_NothingRecorded(string member, string path)
    {
        var patient = Patient("p1", "2023-08-25");
        patient["name"] = new JsonArray(new JsonObject { ["family"] = Marker });
        await using var server = await FixtureFhirServer.StartAsync(patient, []);
        server.Rewrite = json => json.Replace("\"family\":\"" + Marker + "\"", member, StringComparison.Ordinal).Replace(Marker, "\\ud800", StringComparison.Ordinal);
        await using var cds = await CdsHooksTestHost.StartAsync(args: server.AllowedArgument);
        var call = AppointmentBook("p1", null, Appointment("apt", "p1", CdsHooksCalls.Start));
        CdsHooksCalls.WithServer(call, server);

        var (status, body) = await cds.CallAsync("massage-safety-appointment", call);

        Assert.Equal(HttpStatusCode.PreconditionFailed, status);
        var card = Assert.Single(body["cards"]!.AsArray())!;
        Assert.Contains("prefetch 'patient' could not be fetched", (string?)card["detail"], StringComparison.Ordinal);
        Assert.Contains("not a FHIR resource: " + path.Replace("[", "\\[", StringComparison.Ordinal).Replace("]", "\\]", StringComparison.Ordinal), (string?)card["detail"], StringComparison.Ordinal);
        Assert.Equal(0, (await cds.Audit.HeadAsync()).Size);
    }
}
