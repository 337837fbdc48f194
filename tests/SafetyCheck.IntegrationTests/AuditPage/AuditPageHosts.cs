using SafetyCheck.IntegrationTests.Infrastructure;

namespace SafetyCheck.IntegrationTests.AuditPage;

/// <summary>Hosts with the auditor's page on: the real host on the in-memory server, with the test API keys.</summary>
public static class AuditPageHosts
{
    /// <summary>The page's address in configuration (the in-memory server binds nothing; it serves the page as one host).</summary>
    public const string PageUrl = "http://127.0.0.1:45082";

    /// <summary>The configuration argument that turns the page on.</summary>
    public const string PageArgument = "--SafetyCheck:AuditPage:Urls=" + PageUrl;

    /// <summary>A host with the page on, over <paramref name="databasePath"/> (a fresh database when null).</summary>
    internal static Task<TestServerHost> StartAsync(string? databasePath = null, params string[] args) =>
        TestServerHost.StartAsync(TestPaths.Rules, args: [
            PageArgument,
            .. databasePath is null ? Array.Empty<string>() : [$"--SafetyCheck:Audit:DatabasePath={databasePath}"],
            .. args]);

    /// <summary>A page client of <paramref name="host"/>.</summary>
    internal static PageClient Client(TestServerHost host) => new(host.CreateHandler(), new Uri("http://localhost/"));

    /// <summary>A page client of <paramref name="host"/> signed in with the auditor's key.</summary>
    internal static async Task<PageClient> SignedInAsync(TestServerHost host, string key = TestCredentials.AuditorKey)
    {
        var client = Client(host);
        var response = await client.SignInAsync(key);
        Assert.Equal(System.Net.HttpStatusCode.SeeOther, response.StatusCode);
        return client;
    }
}
