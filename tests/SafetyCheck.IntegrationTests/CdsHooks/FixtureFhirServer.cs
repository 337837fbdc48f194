using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace SafetyCheck.IntegrationTests.CdsHooks;

/// <summary>
/// An EHR's FHIR server on a real Kestrel (127.0.0.1, a free port) holding one child's resources: it answers
/// <c>Patient/{id}</c> and <c>Condition|Observation?patient=…[&amp;code=system|code,…]</c> searches (any of the codes), one resource per page
/// (so the service must follow <c>next</c> links), and requires the expected bearer token. It can fail on purpose.
/// </summary>
internal sealed class FixtureFhirServer : IAsyncDisposable
{
    public const string AccessToken = "synthetic-fhir-access-token";

    private readonly WebApplication _app;

    private FixtureFhirServer(WebApplication app) => _app = app;

    /// <summary>The FHIR base URL, e.g. <c>http://127.0.0.1:40123/fhir</c>.</summary>
    public string BaseUrl => _app.Urls.First() + "/fhir";

    /// <summary>The configuration argument that allows the test EHR (issuer 0) to have its data fetched from this server.</summary>
    public string AllowedArgument => $"--SafetyCheck:CdsHooks:Issuers:0:FhirServers:0={BaseUrl}";

    /// <summary>Every request's path and query, in order.</summary>
    public ConcurrentQueue<string> Requests { get; } = new();

    /// <summary>Every request's authorization header, in order.</summary>
    public ConcurrentQueue<string> Authorizations { get; } = new();

    /// <summary>An HTTP status every request is answered with instead of data (with an OperationOutcome); null to serve data.</summary>
    public int? FailWith { get; set; }

    /// <summary>How long each answer waits.</summary>
    public TimeSpan Delay { get; set; }

    /// <summary>Rewrites each answer's JSON text before it is sent (to send what a <see cref="JsonNode"/> cannot write); null: none.</summary>
    public Func<string, string>? Rewrite { get; set; }

    /// <summary>A task each answer waits for (after its request is listed in <see cref="Requests"/>), to hold calls in progress; null: none.</summary>
    public Task? Hold { get; set; }

    public static async Task<FixtureFhirServer> StartAsync(JsonObject patient, IReadOnlyList<JsonObject> resources)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var server = new FixtureFhirServer(app);
        app.Run(context => server.AnswerAsync(context, patient, resources));
        await app.StartAsync();
        return server;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private async Task AnswerAsync(HttpContext context, JsonObject patient, IReadOnlyList<JsonObject> resources)
    {
        Requests.Enqueue(context.Request.Path + context.Request.QueryString);
        Authorizations.Enqueue(context.Request.Headers.Authorization.ToString());
        if (Delay > TimeSpan.Zero)
        {
            await Task.Delay(Delay, context.RequestAborted);
        }

        if (Hold is { } hold)
        {
            await hold.WaitAsync(context.RequestAborted);
        }

        if (FailWith is { } status)
        {
            await WriteAsync(context, status, Outcome("the server is failing on purpose"));
            return;
        }

        if (context.Request.Headers.Authorization != "Bearer " + AccessToken)
        {
            await WriteAsync(context, StatusCodes.Status401Unauthorized, Outcome("no valid access token"));
            return;
        }

        var path = context.Request.Path.Value ?? "";
        if (path == "/fhir/Patient/" + (string?)patient["id"])
        {
            await WriteAsync(context, StatusCodes.Status200OK, patient);
            return;
        }

        var type = path["/fhir/".Length..];
        // FHIR token search: a comma separates codes any of which matches; the Observation's own code only, not its components'.
        var codes = context.Request.Query["code"].ToString().Split(',', StringSplitOptions.RemoveEmptyEntries);
        var matches = resources
            .Where(r => (string?)r["resourceType"] == type)
            .Where(r => codes.Length == 0 || r["code"]?["coding"]?.AsArray().Any(c => codes.Contains($"{(string?)c!["system"]}|{(string?)c["code"]}", StringComparer.Ordinal)) == true)
            .ToArray();
        var page = int.TryParse(context.Request.Query["page"], out var p) ? p : 0;
        var bundle = new JsonObject { ["resourceType"] = "Bundle", ["type"] = "searchset", ["total"] = matches.Length };
        var links = new JsonArray(new JsonObject { ["relation"] = "self", ["url"] = $"{BaseUrl}/{type}{context.Request.QueryString}" });
        if (page + 1 < matches.Length)
        {
            var next = QueryString.Create([.. context.Request.Query.Where(q => q.Key != "page").Select(q => KeyValuePair.Create(q.Key, (string?)q.Value.ToString())), KeyValuePair.Create("page", (string?)(page + 1).ToString(System.Globalization.CultureInfo.InvariantCulture))]);
            links.Add(new JsonObject { ["relation"] = "next", ["url"] = $"{BaseUrl}/{type}{next}" });
        }

        bundle["link"] = links;
        bundle["entry"] = new JsonArray([.. matches.Skip(page).Take(1).Select(r => (JsonNode)new JsonObject { ["resource"] = r.DeepClone(), ["search"] = new JsonObject { ["mode"] = "match" } })]);
        await WriteAsync(context, StatusCodes.Status200OK, bundle);
    }

    private static JsonObject Outcome(string text) => new()
    {
        ["resourceType"] = "OperationOutcome",
        ["issue"] = new JsonArray(new JsonObject { ["severity"] = "error", ["code"] = "exception", ["diagnostics"] = text }),
    };

    private Task WriteAsync(HttpContext context, int status, JsonObject body)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/fhir+json";
        var text = body.ToJsonString();
        return context.Response.WriteAsync(Rewrite is { } rewrite ? rewrite(text) : text);
    }
}
