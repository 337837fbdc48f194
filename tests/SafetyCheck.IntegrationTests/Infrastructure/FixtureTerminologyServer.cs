using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace SafetyCheck.IntegrationTests.Infrastructure;

/// <summary>
/// A FHIR terminology server on a real Kestrel (127.0.0.1, a free port) that answers
/// <c>GET /fhir/ValueSet/$expand?url=http://snomed.info/sct?fhir_vs=ecl/&lt;&lt;ID&amp;count&amp;offset</c> from a
/// fixture, one page at a time, as a real server does; for testing <c>terminology expand</c>.
/// </summary>
internal sealed class FixtureTerminologyServer : IAsyncDisposable
{
    public const string Version = "http://snomed.info/sct/900000000000207008/version/20250101";

    private readonly WebApplication app;

    private FixtureTerminologyServer(WebApplication app)
    {
        this.app = app;
    }

    /// <summary>The FHIR base URL, e.g. <c>http://127.0.0.1:40123/fhir</c>.</summary>
    public string BaseUrl => app.Urls.First() + "/fhir";

    /// <summary>Every request's path and query, in order.</summary>
    public ConcurrentQueue<string> Requests { get; } = new();

    /// <param name="concepts">Concept id → its display and its descendants (code, display).</param>
    /// <param name="delay">How long each answer waits.</param>
    /// <param name="status">An HTTP status to answer instead of an expansion (with an OperationOutcome).</param>
    public static async Task<FixtureTerminologyServer> StartAsync(
        IReadOnlyDictionary<string, (string Display, (string Code, string Display)[] Descendants)> concepts,
        TimeSpan? delay = null,
        int? status = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var server = new FixtureTerminologyServer(app);
        app.Run(context => server.AnswerAsync(context, concepts, delay, status));
        await app.StartAsync();
        return server;
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }

    private async Task AnswerAsync(
        HttpContext context,
        IReadOnlyDictionary<string, (string Display, (string Code, string Display)[] Descendants)> concepts,
        TimeSpan? delay,
        int? status)
    {
        Requests.Enqueue(context.Request.Path + context.Request.QueryString);
        if (delay is { } wait)
        {
            await Task.Delay(wait, context.RequestAborted);
        }

        var url = context.Request.Query["url"].ToString();
        const string prefix = "http://snomed.info/sct?fhir_vs=ecl/<<";
        if (status is { } code || context.Request.Path != "/fhir/ValueSet/$expand" || !url.StartsWith(prefix, StringComparison.Ordinal)
            || !concepts.TryGetValue(url[prefix.Length..], out var concept))
        {
            context.Response.StatusCode = status ?? StatusCodes.Status404NotFound;
            context.Response.ContentType = "application/fhir+json";
            await context.Response.WriteAsync(JsonSerializer.Serialize(new
            {
                resourceType = "OperationOutcome",
                issue = new[] { new { severity = "error", code = "not-found", diagnostics = $"Unable to expand {url}" } },
            }));
            return;
        }

        int count = int.Parse(context.Request.Query["count"].ToString(), System.Globalization.CultureInfo.InvariantCulture);
        int offset = int.Parse(context.Request.Query["offset"].ToString(), System.Globalization.CultureInfo.InvariantCulture);
        var all = new[] { (Code: url[prefix.Length..], concept.Display) }.Concat(concept.Descendants).ToArray();
        context.Response.ContentType = "application/fhir+json";
        await context.Response.WriteAsync(JsonSerializer.Serialize(new
        {
            resourceType = "ValueSet",
            expansion = new
            {
                timestamp = "2026-01-01T00:00:00Z",
                total = all.Length,
                offset,
                parameter = new[] { new { name = "version", valueUri = Version } },
                contains = all.Skip(offset).Take(count).Select(c => new { system = "http://snomed.info/sct", code = c.Code, display = c.Display }),
            },
        }));
    }
}
