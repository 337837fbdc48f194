using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using SafetyCheck.Audit.Storage;
using SafetyCheck.IntegrationTests.Infrastructure;

namespace SafetyCheck.IntegrationTests.CdsHooks;

/// <summary>The real host on the in-memory server with the CDS Hooks service on, and a <see cref="TestEhr"/> allowed to call it.</summary>
internal sealed class CdsHooksTestHost : IAsyncDisposable
{
    private CdsHooksTestHost(TestServerHost host, TestEhr ehr)
    {
        Host = host;
        Ehr = ehr;
        Http = host.CreateHttpClient(token: null);
    }

    public TestServerHost Host { get; }

    public TestEhr Ehr { get; }

    public HttpClient Http { get; }

    public IAuditReader Audit => Host.Services.GetRequiredService<IAuditReader>();

    public static async Task<CdsHooksTestHost> StartAsync(bool loadRules = true, Action<IServiceCollection>? configureServices = null, params string[] args)
    {
        var ehr = new TestEhr(TestServerHost.Now);
        var host = await TestServerHost.StartAsync(
            TestPaths.Rules,
            loadRules: loadRules,
            args: ehr.Arguments(["--SafetyCheck:CdsHooks:TimeZone=Europe/London", .. args]),
            configureServices: configureServices);
        return new CdsHooksTestHost(host, ehr);
    }

    /// <summary>Sends with a fresh token (or <paramref name="token"/>; "" for none) and reads the JSON answer.</summary>
    public async Task<(HttpStatusCode Status, JsonObject Body)> SendAsync(HttpMethod method, string path, JsonNode? body = null, string? token = null)
    {
        using var request = Ehr.Request(method, path, body, token);
        using var response = await Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length == 0 ? [] : JsonNode.Parse(text)!.AsObject());
    }

    public Task<(HttpStatusCode Status, JsonObject Body)> CallAsync(string serviceId, JsonObject call) =>
        SendAsync(HttpMethod.Post, "/cds-services/" + serviceId, call);

    /// <summary>POSTs <paramref name="json"/> as written, for bodies a <see cref="JsonNode"/> cannot write (an unpaired surrogate escape), and reads the JSON answer.</summary>
    public async Task<(HttpStatusCode Status, JsonObject Body)> PostTextAsync(string path, string json)
    {
        using var request = Ehr.Request(HttpMethod.Post, path);
        request.Content = new StringContent(json, System.Text.Encoding.UTF8, "application/json");
        using var response = await Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length == 0 ? [] : JsonNode.Parse(text)!.AsObject());
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        Ehr.Dispose();
        await Host.DisposeAsync();
    }
}
