using System.Diagnostics;
using SafetyCheck.IntegrationTests.Infrastructure;

namespace SafetyCheck.IntegrationTests.Audit.PostgreSql;

/// <summary>
/// A PostgreSQL cluster of the test's own (tests/postgres/start.sh), for a test that stops and starts the server:
/// the shared test server must stay up for the tests running beside it. Stopped and removed when disposed.
/// </summary>
internal sealed class PrivateCluster : IAsyncDisposable
{
    private readonly Dictionary<string, string> _exports;

    private PrivateCluster(Dictionary<string, string> exports) => _exports = exports;

    /// <summary>The superuser's connection string.</summary>
    public string ConnectionString => _exports["SAFETYCHECK_TEST_POSTGRES"];

    public static async Task<PrivateCluster> StartAsync()
    {
        var (exit, output) = await RunAsync("bash", Path.Combine(TestPaths.RepositoryRoot, "tests", "postgres", "start.sh"));
        Assert.True(exit == 0, "tests/postgres/start.sh failed:\n" + output);
        var exports = output.Split('\n')
            .Where(l => l.StartsWith("export ", StringComparison.Ordinal))
            .Select(l => l["export ".Length..].Split('=', 2))
            .ToDictionary(kv => kv[0], kv => kv[1].Trim('\''), StringComparer.Ordinal);
        return new PrivateCluster(exports);
    }

    /// <summary>Stops (fast: sessions are ended) or starts the server, waiting until it has.</summary>
    public async Task ControlAsync(string action)
    {
        var (exit, output) = await RunAsync(_exports["SAFETYCHECK_TEST_POSTGRES_CTL"], action);
        Assert.True(exit == 0, $"pg_ctl {action} failed:\n{output}");
    }

    public async ValueTask DisposeAsync() =>
        await RunAsync("bash", Path.Combine(TestPaths.RepositoryRoot, "tests", "postgres", "stop.sh"), _exports["SAFETYCHECK_TEST_POSTGRES_DIR"]);

    private static async Task<(int Exit, string Output)> RunAsync(string file, params string[] arguments)
    {
        var start = new ProcessStartInfo(file, arguments) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await output + await error);
    }
}
